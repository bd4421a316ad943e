package dev.capstan.kubernetes;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Faults the mock API server injects on request: an outage (every request of an operator answered
 * 503, as when the API server is down or cut off from the operator's node), an
 * operator process that has died (its requests never arrive), a crash of the operator right after
 * its k-th write of a namespace took effect (its answer lost), and namespaces being deleted (new
 * content refused with 403, as the API server does while a namespace terminates).
 */
public final class ApiFaults {
  private final Set<String> deadAgents = ConcurrentHashMap.newKeySet();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final AtomicInteger refusedDuringOutage = new AtomicInteger();
  private volatile boolean outage;
  private volatile Crash crash;

  /** A crash armed for the k-th operator write in one namespace; fires once. */
  public static final class Crash {
    private final String namespace;
    private final int afterWrites;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean fired = new AtomicBoolean();
    private final AtomicBoolean armed = new AtomicBoolean(true);

    private Crash(String namespace, int afterWrites) {
      this.namespace = namespace;
      this.afterWrites = afterWrites;
    }

    public boolean fired() {
      return fired.get();
    }

    /** Disarms it; true if it fired (perhaps just now). */
    public boolean disarm() {
      armed.set(false);
      return fired.get();
    }
  }

  public Crash crashAfterWrites(String namespace, int k) {
    Crash c = new Crash(namespace, k);
    crash = c;
    return c;
  }

  public void outage(boolean down) {
    outage = down;
  }

  public int refusedDuringOutage() {
    return refusedDuringOutage.get();
  }

  public void terminate(String namespace) {
    terminating.add(namespace);
  }

  MockResponse dispatch(RecordedRequest request, Function<RecordedRequest, MockResponse> server) {
    String agent = request.getHeader("User-Agent");
    if (agent != null && deadAgents.contains(agent)) {
      return status(403, "Forbidden", "the operator process " + agent + " is dead");
    }
    if (outage && agent != null && agent.contains(TestingCluster.OPERATOR_AGENT)) {
      refusedDuringOutage.incrementAndGet();
      return status(503, "ServiceUnavailable", "the API server is unavailable");
    }
    String ns = namespaceOf(request.getPath());
    if ("POST".equals(request.getMethod()) && ns != null && terminating.contains(ns)) {
      return status(403, "Forbidden", "unable to create new content in namespace " + ns + " because it is being terminated");
    }
    MockResponse response = server.apply(request);
    Crash c = crash;
    if (c != null && c.armed.get() && isOperatorWrite(request, agent) && c.namespace.equals(ns)
        && c.writes.incrementAndGet() == c.afterWrites) {
      deadAgents.add(agent);
      c.fired.set(true);
      return status(403, "Forbidden", "the operator process " + agent + " crashed");
    }
    return response;
  }

  private static boolean isOperatorWrite(RecordedRequest request, String agent) {
    return agent != null && agent.contains(TestingCluster.OPERATOR_AGENT) && !"GET".equals(request.getMethod());
  }

  static String namespaceOf(String path) {
    int at = path.indexOf("/namespaces/");
    if (at < 0) {
      return null;
    }
    String rest = path.substring(at + "/namespaces/".length());
    int end = rest.indexOf('/');
    if (end < 0) {
      return null; // the namespace object itself
    }
    return rest.substring(0, end);
  }

  static MockResponse status(int code, String reason, String message) {
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
        + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }
}
