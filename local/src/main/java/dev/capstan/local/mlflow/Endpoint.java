package dev.capstan.local.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One MLflow REST call: its parameters in, the JSON it answers with 200 out. */
@FunctionalInterface
interface Endpoint {
  ObjectNode call(MlflowParams params);
}
