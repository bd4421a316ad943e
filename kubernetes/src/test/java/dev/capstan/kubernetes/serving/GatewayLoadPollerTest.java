package dev.capstan.kubernetes.serving;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import dev.capstan.kubernetes.gateway.LoadBoard;
import dev.capstan.kubernetes.gateway.LoadEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operator's leader reading two real gateway load endpoints over HTTP. */
class GatewayLoadPollerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RevisionKey A = new RevisionKey("ns", "m", "m-predictor-00001");
  private static final RevisionKey B = new RevisionKey("ns", "m", "m-predictor-00002");

  @Test
  void theLeaderSumsEveryGatewaysLoadAndPassesScaleFromZeroOnAtOnce() throws Exception {
    LoadBoard first = new LoadBoard();
    LoadBoard second = new LoadBoard();
    try (LoadEndpoint one = endpoint(first); LoadEndpoint two = endpoint(second)) {
      TestingFeedback feedback = new TestingFeedback();
      first.reportLoad(List.of(new RevisionLoad(A, T0, 3, 30, 0), new RevisionLoad(B, T0, 1, 5, 0)));
      second.reportLoad(List.of(new RevisionLoad(A, T0, 2.5, 20, 1)));
      try (GatewayLoadPoller poller = new GatewayLoadPoller(() -> Set.of(uri(one), uri(two)), feedback, () -> true,
          () -> T0.plusSeconds(7)).start()) {
        await(() -> feedback.lastReport().size() == 2 && concurrency(feedback.lastReport(), A) == 5.5,
            () -> "summed loads, last report " + feedback.lastReport());
        RevisionLoad a = feedback.lastReport().stream().filter(l -> l.key().equals(A)).findFirst().orElseThrow();
        assertEquals(50, a.requestsPerSecond());
        assertEquals(1, a.waiting());
        assertEquals(T0.plusSeconds(7), a.at(), "loads are stamped with the operator's clock");

        // A request held at zero is asked for through the long poll, not at the next report.
        second.scaleFromZero(B);
        await(() -> feedback.scaleFromZero().contains(B), () -> "scale-from-zero of " + B);
      }
    }
  }

  @Test
  void aProcessThatDoesNotLeadFeedsNothing() throws Exception {
    LoadBoard board = new LoadBoard();
    try (LoadEndpoint endpoint = endpoint(board)) {
      TestingFeedback feedback = new TestingFeedback();
      AtomicBoolean leading = new AtomicBoolean(false);
      board.reportLoad(List.of(new RevisionLoad(A, T0, 3, 30, 0)));
      board.scaleFromZero(A);
      try (GatewayLoadPoller poller = new GatewayLoadPoller(() -> Set.of(uri(endpoint)), feedback, leading::get,
          () -> T0).start()) {
        Thread.sleep(1_500); // a standby polls nothing for as long as it stands by
        assertEquals(List.of(), feedback.reports());
        assertEquals(List.of(), feedback.scaleFromZero());
        leading.set(true);
        await(() -> feedback.scaleFromZero().contains(A), () -> "the new leader to read what the gateway kept");
        await(() -> !feedback.lastReport().isEmpty(), () -> "a load report once leading");
      }
    }
  }

  @Test
  void aGatewayThatStopsAnsweringDropsOutOfTheSum() throws Exception {
    LoadBoard first = new LoadBoard();
    LoadBoard second = new LoadBoard();
    LoadEndpoint one = endpoint(first);
    try (LoadEndpoint two = endpoint(second)) {
      TestingFeedback feedback = new TestingFeedback();
      first.reportLoad(List.of(new RevisionLoad(A, T0, 4, 0, 0)));
      second.reportLoad(List.of(new RevisionLoad(A, T0, 1, 0, 0)));
      try (GatewayLoadPoller poller = new GatewayLoadPoller(() -> Set.of(uri(one), uri(two)), feedback, () -> true,
          () -> T0).start()) {
        await(() -> concurrency(feedback.lastReport(), A) == 5, () -> "both gateways summed: " + feedback.lastReport());
        one.close();
        await(() -> concurrency(feedback.lastReport(), A) == 1, () -> "the stopped gateway left out: " + feedback.lastReport());
      }
    } finally {
      one.close();
    }
  }

  private static double concurrency(List<RevisionLoad> loads, RevisionKey key) {
    return loads.stream().filter(l -> l.key().equals(key)).mapToDouble(RevisionLoad::averageConcurrency).sum();
  }

  private static LoadEndpoint endpoint(LoadBoard board) throws java.io.IOException {
    return LoadEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), board, () -> true);
  }

  private static URI uri(LoadEndpoint endpoint) {
    return URI.create("http://127.0.0.1:" + endpoint.port() + "/");
  }
}
