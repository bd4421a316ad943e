package dev.capstan.serve.rest;

import dev.capstan.serve.InferRequest;

/** An infer request as REST carries it: the request, and the outputs it wants in binary form. */
record RestInferRequest(InferRequest request, BinaryOutputs binaryOutputs) {
}
