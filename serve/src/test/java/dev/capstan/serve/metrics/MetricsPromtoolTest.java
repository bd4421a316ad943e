package dev.capstan.serve.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.Fixtures;
import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A live /metrics scrape passes {@code promtool check metrics} and counts what happened. */
class MetricsPromtoolTest {
    @Test
    void liveScrapePassesPromtool() throws Exception {
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1),
                List.of(new ModelServer.ModelSource(Fixtures.dir("mlp"), "mlp")))) {
            int port = server.httpPort();
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Http.post(port, "/v2/models/mlp/infer", body).status());
            }
            assertEquals(400, Http.post(port, "/v2/models/mlp/infer", "{}").status());
            Http.Reply scrape = Http.get(port, "/metrics");
            assertEquals(200, scrape.status());
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = scrape.text();
            assertTrue(text.contains("capstan_serve_requests_total{model=\"mlp\",protocol=\"rest\",code=\"200\"} 3"), text);
            assertTrue(text.contains("capstan_serve_requests_total{model=\"mlp\",protocol=\"rest\",code=\"400\"} 1"), text);
            assertTrue(text.contains("capstan_serve_request_duration_seconds_count{model=\"mlp\",protocol=\"rest\"} 4"), text);
            assertTrue(text.contains("capstan_serve_queue_duration_seconds_count{model=\"mlp\"} 3"), text);
            assertTrue(text.contains("capstan_serve_batch_size_bucket{model=\"mlp\",le=\"1\"} 3"), text);
            assertTrue(text.contains("capstan_serve_inflight_requests 0"), text);
            assertTrue(text.contains("capstan_serve_queue_depth{model=\"mlp\"} 0"), text);
            assertTrue(text.contains("capstan_serve_max_connections " + server.connections().cap() + "\n"), text);
            assertTrue(text.contains("capstan_serve_connections_shed_total 0\n"), text);

            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, promtool.exitValue(), verdict);
        }
    }
}
