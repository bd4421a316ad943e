package dev.capstan.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records every request (with its body and the code it was answered with) before the mock
 * server's own dispatcher answers it, lets {@link ApiFaults} answer instead, and honours the
 * preconditions of a DELETE (resourceVersion, uid) as the API server does and the CRUD mock
 * does not.
 */
public final class RecordingDispatcher extends Dispatcher {
  /** One request as the API server saw it, and the code it answered. */
  public record Request(String method, String path, String userAgent, String body, int code) {}

  private final Dispatcher delegate;
  private final ApiFaults faults;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public RecordingDispatcher(Dispatcher delegate) {
    this(delegate, new ApiFaults());
  }

  public RecordingDispatcher(Dispatcher delegate, ApiFaults faults) {
    this.delegate = delegate;
    this.faults = faults;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    MockResponse response = faults.dispatch(request, this::answer);
    requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent"),
        new String(body, StandardCharsets.UTF_8), response.code()));
    return response;
  }

  private MockResponse answer(RecordedRequest request) {
    if ("DELETE".equals(request.getMethod())) {
      MockResponse failed = failedPrecondition(request);
      if (failed != null) {
        return failed;
      }
    }
    return delegate.dispatch(request);
  }

  private MockResponse failedPrecondition(RecordedRequest request) {
    JsonNode preconditions;
    try {
      String body = request.getUtf8Body();
      if (body == null || body.isBlank()) {
        return null;
      }
      preconditions = Manifests.json().readTree(body).path("preconditions");
    } catch (IOException e) {
      return null;
    }
    if (preconditions.isMissingNode() || preconditions.isNull()) {
      return null;
    }
    MockResponse current = delegate.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, request.getPath(),
        request.getHeaders(), new Buffer()));
    if (current.code() != 200) {
      return null;
    }
    try {
      JsonNode meta = Manifests.json().readTree(current.getBody().getBytes()).path("metadata");
      for (String field : List.of("resourceVersion", "uid")) {
        String wanted = preconditions.path(field).asText(null);
        if (wanted != null && !wanted.equals(meta.path(field).asText(null))) {
          return ApiFaults.status(409, "Conflict", "Operation cannot be fulfilled on " + meta.path("name").asText()
              + ": Precondition failed: " + field + " in precondition: " + wanted + ", " + field + " in object meta: "
              + meta.path(field).asText());
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
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
