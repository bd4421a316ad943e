package dev.capstan.serve.rest;

import dev.capstan.serve.InferResponse;
import dev.capstan.serve.tensor.RawForm;
import dev.capstan.serve.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The REST answer to an infer request: plain JSON, or, when any output is wanted in binary, the
 * binary tensor extension's form: the JSON header (its length in {@code Inference-Header-Content-Length}),
 * then each binary output's raw bytes in the order the header lists them, as
 * {@code application/octet-stream}.
 */
final class BinaryInferResponse {
    static final String OCTET_STREAM = "application/octet-stream";

    private BinaryInferResponse() {
    }

    static RestReply reply(InferResponse response, BinaryOutputs binary) {
        if (response.outputs().stream().noneMatch(t -> binary.binary(t.name()))) {
            return RestReply.json(out -> ResponseJson.infer(response, out));
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream(256);
        try {
            ResponseJson.infer(response, binary, header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = header.toByteArray();
        return new RestReply(200, OCTET_STREAM, out -> {
            out.write(json);
            for (Tensor output : response.outputs()) {
                if (binary.binary(output.name())) {
                    RawForm.write(output, out);
                }
            }
        }, Map.of(BinaryTensorData.HEADER, Integer.toString(json.length)));
    }
}
