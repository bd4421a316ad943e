package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Open Inference Protocol (v2 REST) calls to one model behind a service URL, as any client sends
 * them: model metadata, and inference on FP32 rows returning each row's most likely class.
 */
final class OipClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String modelUrl;
  private final Duration timeout;

  OipClient(String serviceUrl, String model, Duration timeout) {
    this.modelUrl = serviceUrl + "/v2/models/" + model;
    this.timeout = timeout;
  }

  /** A model input: its name and its shape, the batch dimension first. */
  record Input(String name, List<Long> shape) {}

  /** {@code GET …/v2/models/NAME}: the model's first input. */
  Input firstInput() throws IOException, InterruptedException {
    JsonNode metadata = send(HttpRequest.newBuilder(URI.create(modelUrl)).GET());
    JsonNode input = metadata.path("inputs").path(0);
    if (input.path("name").asText("").isEmpty() || !input.path("shape").isArray()) {
      throw new IOException("the model's metadata names no input with a shape: " + metadata);
    }
    List<Long> shape = new ArrayList<>();
    input.path("shape").forEach(d -> shape.add(d.asLong()));
    return new Input(input.path("name").asText(), shape);
  }

  /** {@code POST …/infer} of these rows, each shaped as the input's dimensions after the batch one; the argmax of each row's output. */
  int[] classify(Input input, float[][] rows) throws IOException, InterruptedException {
    ObjectNode body = Manifests.json().createObjectNode();
    ObjectNode tensor = body.putArray("inputs").addObject();
    tensor.put("name", input.name()).put("datatype", "FP32");
    ArrayNode shape = tensor.putArray("shape").add(rows.length);
    input.shape().subList(1, input.shape().size()).forEach(shape::add);
    ArrayNode data = tensor.putArray("data");
    for (float[] row : rows) {
      for (float v : row) {
        data.add(v);
      }
    }
    JsonNode answer = send(HttpRequest.newBuilder(URI.create(modelUrl + "/infer"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    JsonNode output = answer.path("outputs").path(0);
    List<Double> flat = new ArrayList<>();
    flatten(output.path("data"), flat);
    if (rows.length == 0 || flat.size() % rows.length != 0 || flat.isEmpty()) {
      throw new IOException("the model answered " + flat.size() + " values for " + rows.length + " rows");
    }
    int classes = flat.size() / rows.length;
    int[] predicted = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (flat.get(r * classes + c) > flat.get(r * classes + best)) {
          best = c;
        }
      }
      predicted[r] = best;
    }
    return predicted;
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " from " + request.build().uri() + ": " + r.body());
    }
    return Manifests.json().readTree(r.body());
  }

  private static void flatten(JsonNode node, List<Double> into) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, into));
    } else {
      into.add(node.asDouble());
    }
  }
}
