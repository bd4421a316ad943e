package dev.capstan.serve.engine.capstandjl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.engine.capstandjl.TrainedModels.Trained;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A model directory written by capstan-train's loop, served by the real server and called with a
 * real HTTP client: as written, and with dynamic batching added to its model.yaml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapstanDjlServingTest {
    private Trained trained;
    private ModelServer server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("capstan-djl-serving");
        trained = TrainedModels.train(temp, "digits-mlp", "mlp", 5);
        Path batched = Files.createDirectories(temp.resolve("digits-batched"));
        for (String file : List.of("model.yaml", "model.safetensors")) {
            Files.copy(trained.dir().resolve(file), batched.resolve(file));
        }
        Files.writeString(batched.resolve("model.yaml"), "batching: {maxBatchSize: 8, maxLatency: 5ms, workers: 2}\n",
                StandardOpenOption.APPEND);
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), List.of(
                new ModelServer.ModelSource(trained.dir(), null),
                new ModelServer.ModelSource(batched, null)));
        port = server.httpPort();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (trained != null) {
            trained.close();
        }
    }

    @Test
    void metadataShowsTheTrainersSignature() throws Exception {
        Http.Reply reply = Http.get(port, "/v2/models/digits-mlp");
        assertEquals(200, reply.status(), reply.text());
        JsonNode meta = reply.json();
        assertEquals("digits-mlp", meta.get("name").asText());
        assertEquals("pytorch_capstan_djl", meta.get("platform").asText());
        JsonNode input = meta.get("inputs").get(0);
        assertEquals("input", input.get("name").asText());
        assertEquals("FP32", input.get("datatype").asText());
        assertEquals("[-1,1,8,8]", input.get("shape").toString());
        JsonNode output = meta.get("outputs").get(0);
        assertEquals("logits", output.get("name").asText());
        assertEquals("[-1,10]", output.get("shape").toString());
        assertEquals("{\"name\":\"digits-mlp\",\"ready\":true}", Http.get(port, "/v2/models/digits-mlp/ready").text());
    }

    @Test
    void inferAnswersWhatTheTrainerComputes() throws Exception {
        float[] x = TrainedModels.samples(trained.data(), 10, 3);
        Http.Reply reply = infer("digits-mlp", x, 3);
        assertEquals(200, reply.status(), reply.text());
        JsonNode output = reply.json().get("outputs").get(0);
        assertEquals("logits", output.get("name").asText());
        assertEquals("FP32", output.get("datatype").asText());
        assertEquals("[3,10]", output.get("shape").toString());
        assertArrayEquals(trained.network().logits(x, 3), Http.JSON.treeToValue(output.get("data"), float[].class), 1e-5f);
    }

    @Test
    void aWrongShapeIsA400() throws Exception {
        Http.Reply reply = Http.post(port, "/v2/models/digits-mlp/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":" + Arrays.toString(new float[64]) + "}]}");
        assertEquals(400, reply.status(), reply.text());
    }

    @Test
    void concurrentSingleSampleRequestsThroughTheBatcherEqualOneBatchedRequest() throws Exception {
        int rows = 12;
        float[] x = TrainedModels.samples(trained.data(), 200, rows);
        Http.Reply whole = infer("digits-batched", x, rows);
        assertEquals(200, whole.status(), whole.text());
        float[] batched = Http.JSON.treeToValue(whole.json().get("outputs").get(0).get("data"), float[].class);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < rows; i++) {
                    float[] one = TrainedModels.samples(trained.data(), 200 + i, 1);
                    replies.add(pool.submit(() -> infer("digits-batched", one, 1)));
                }
            }
            for (int k = 0; k < replies.size(); k++) {
                int i = k % rows;
                Http.Reply reply = replies.get(k).get();
                assertEquals(200, reply.status(), reply.text());
                JsonNode output = reply.json().get("outputs").get(0);
                assertEquals("[1,10]", output.get("shape").toString());
                assertArrayEquals(Arrays.copyOfRange(batched, i * 10, i * 10 + 10),
                        Http.JSON.treeToValue(output.get("data"), float[].class), 1e-5f, "sample " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    private Http.Reply infer(String model, float[] x, int batch) throws Exception {
        return Http.post(port, "/v2/models/" + model + "/infer", "{\"inputs\":[{\"name\":\"input\",\"shape\":[" + batch
                + ",1,8,8],\"datatype\":\"FP32\",\"data\":" + Http.JSON.writeValueAsString(x) + "}]}");
    }
}
