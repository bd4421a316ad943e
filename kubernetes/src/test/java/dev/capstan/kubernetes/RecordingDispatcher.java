package dev.capstan.kubernetes;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records every request (with its body) before the mock server's own dispatcher answers it. */
public final class RecordingDispatcher extends Dispatcher {
  /** One request as the API server saw it. */
  public record Request(String method, String path, String userAgent, String body) {}

  private final Dispatcher delegate;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public RecordingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent"),
        new String(body, StandardCharsets.UTF_8)));
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
