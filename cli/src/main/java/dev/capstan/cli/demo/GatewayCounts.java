package dev.capstan.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own count of the requests it answered for the demo's service, per revision and
 * status code, read from its Prometheus text at {@code /metrics}
 * ({@code capstan_gateway_requests_total{namespace,service,revision,code}}). A revision that left
 * the route table is no longer counted there, so the demo reads the counts while its revisions
 * take traffic and compares differences.
 *
 * @param byRevision revision name to status code to requests answered
 */
record GatewayCounts(Map<String, Map<Integer, Long>> byRevision) {
  private static final Pattern LINE = Pattern.compile(
      "^capstan_gateway_requests_total\\{namespace=\"([^\"]*)\",service=\"([^\"]*)\",revision=\"([^\"]*)\",code=\"(\\d+)\"} (\\d+)$",
      Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static GatewayCounts read(String gatewayBase, String namespace, String service) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayBase + "/metrics")).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " from " + gatewayBase + "/metrics");
    }
    return parse(r.body(), namespace, service);
  }

  static GatewayCounts parse(String metrics, String namespace, String service) {
    Map<String, Map<Integer, Long>> counts = new TreeMap<>();
    Matcher m = LINE.matcher(metrics);
    while (m.find()) {
      if (m.group(1).equals(namespace) && m.group(2).equals(service)) {
        counts.computeIfAbsent(m.group(3), k -> new TreeMap<>()).put(Integer.parseInt(m.group(4)), Long.parseLong(m.group(5)));
      }
    }
    return new GatewayCounts(counts);
  }

  /** What the gateway answered since {@code earlier}, per revision and code (a revision new since then counts from zero). */
  GatewayCounts since(GatewayCounts earlier) {
    Map<String, Map<Integer, Long>> diff = new TreeMap<>();
    byRevision.forEach((revision, codes) -> codes.forEach((code, count) -> {
      long before = earlier.byRevision().getOrDefault(revision, Map.of()).getOrDefault(code, 0L);
      if (count - before > 0) {
        diff.computeIfAbsent(revision, k -> new TreeMap<>()).put(code, count - before);
      }
    }));
    return new GatewayCounts(diff);
  }

  /** Every answer, all revisions and codes. */
  long total() {
    return byRevision.values().stream().flatMap(c -> c.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** Answers of the revision, every code. */
  long of(String revision) {
    return byRevision.getOrDefault(revision, Map.of()).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Answers other than 200, every revision. */
  long notOk() {
    return total() - byRevision.values().stream().mapToLong(c -> c.getOrDefault(200, 0L)).sum();
  }
}
