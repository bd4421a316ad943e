package dev.capstan.kubernetes;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.CountDownLatch;

/**
 * Freezes an operator process the way a long GC pause or a stopped VM does, as seen from the API
 * server: armed for a namespace, the process's first write there, and every request of any of its
 * threads after it, is held before it is sent until {@link #resume()}; then they all go out, with
 * whatever the process had decided before it froze.
 */
public final class OperatorFreeze implements Interceptor {
  private final CountDownLatch resumed = new CountDownLatch(1);
  private volatile String namespace;
  private volatile boolean frozen;

  public void atNextWriteIn(String namespace) {
    this.namespace = namespace;
  }

  public boolean frozen() {
    return frozen;
  }

  public void resume() {
    resumed.countDown();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String ns = namespace;
    if (!frozen && ns != null && !"GET".equals(request.method())
        && request.uri().getPath().contains("/namespaces/" + ns + "/")) {
      frozen = true;
    }
    if (frozen) {
      try {
        resumed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
