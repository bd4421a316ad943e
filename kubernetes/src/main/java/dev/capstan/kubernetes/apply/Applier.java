package dev.capstan.kubernetes.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one generic applier of cluster mode: makes one object match what a plan wants, idempotently,
 * and says what it did. Objects have deterministic names, so a pass repeated after a crash finds
 * what the previous pass created and does nothing more. 409s (a conflict, or an object another pass
 * created meanwhile) and 429/5xx answers are retried with exponential backoff.
 */
public final class Applier {
  /** What one call changed. */
  public enum Outcome {
    Noop,
    Created,
    Patched,
    Deleted
  }

  private final KubernetesClient client;
  private final Backoff backoff;

  public Applier(KubernetesClient client) {
    this(client, Backoff.DEFAULT);
  }

  public Applier(KubernetesClient client, Backoff backoff) {
    this.client = client;
    this.backoff = backoff;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Reads an object afresh from the API server (never from a cache). */
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    return Optional.ofNullable(retrying(() -> client.resources(type).inNamespace(namespace).withName(name).get()));
  }

  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector) {
    return retrying(() -> client.resources(type).inNamespace(namespace).withLabel(labelSelector).list().getItems());
  }

  /**
   * Creates {@code desired} unless an object of that name exists; an existing one is patched with
   * {@code update} when {@code upToDate} says it differs. Returns what happened.
   */
  public <T extends HasMetadata> Outcome ensure(T desired, java.util.function.Predicate<T> upToDate, UnaryOperator<T> update) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) desired.getClass();
    String ns = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    for (int attempt = 0; ; attempt++) {
      Optional<T> existing = get(type, ns, name);
      try {
        if (existing.isEmpty()) {
          client.resource(desired).create();
          return Outcome.Created;
        }
        if (upToDate.test(existing.get())) {
          return Outcome.Noop;
        }
        client.resources(type).inNamespace(ns).withName(name).edit(update);
        return Outcome.Patched;
      } catch (KubernetesClientException e) {
        if (!retryable(e) || attempt >= backoff.attempts()) {
          throw e;
        }
        backoff.sleep(attempt);
      }
    }
  }

  /** Deletes the object if it exists; a missing object is a Noop. */
  public <T extends HasMetadata> Outcome delete(Class<T> type, String namespace, String name) {
    return delete(type, namespace, name, Optional.empty());
  }

  /** Deletes the object if it exists, giving it {@code grace} to stop (the object's own when empty). */
  public <T extends HasMetadata> Outcome delete(Class<T> type, String namespace, String name, Optional<Duration> grace) {
    List<?> deleted = retrying(() -> {
      var resource = client.resources(type).inNamespace(namespace).withName(name);
      return grace.isPresent() ? resource.withGracePeriod(grace.get().toSeconds()).delete() : resource.delete();
    });
    return deleted == null || deleted.isEmpty() ? Outcome.Noop : Outcome.Deleted;
  }

  /**
   * Deletes {@code observed} only if it is still the version this pass read (a resourceVersion
   * precondition). A 409 means the object changed or was replaced since, so the decision to delete
   * it may be stale: it is not retried but thrown, and the pass runs again on what is there now.
   * A missing object is a Noop.
   */
  public <T extends HasMetadata> Outcome deleteAsObserved(T observed) {
    return deleteAsObserved(observed, Optional.empty());
  }

  /**
   * As {@link #deleteAsObserved(HasMetadata)}, or, with a {@code grace} period, a delete by name that
   * gives the object that long to stop: the client cannot send both a grace period and a
   * resourceVersion precondition, and a graceful stop (a preemption) stops every version alike.
   */
  public <T extends HasMetadata> Outcome deleteAsObserved(T observed, Optional<Duration> grace) {
    if (grace.isPresent()) {
      return delete(observed.getClass(), observed.getMetadata().getNamespace(), observed.getMetadata().getName(), grace);
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) observed.getClass();
    var meta = observed.getMetadata();
    for (int attempt = 0; ; attempt++) {
      try {
        List<?> deleted = client.resources(type).inNamespace(meta.getNamespace()).withName(meta.getName())
            .lockResourceVersion(meta.getResourceVersion()).delete();
        return deleted == null || deleted.isEmpty() ? Outcome.Noop : Outcome.Deleted;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 || !retryable(e) || attempt >= backoff.attempts()) {
          throw e;
        }
        backoff.sleep(attempt);
      }
    }
  }

  /** Runs one call, retrying conflicts, throttling and server errors with backoff. */
  public <R> R retrying(Supplier<R> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        if (!retryable(e) || attempt >= backoff.attempts()) {
          throw e;
        }
        backoff.sleep(attempt);
      }
    }
  }

  static boolean retryable(KubernetesClientException e) {
    int code = e.getCode();
    return code == 409 || code == 429 || code >= 500;
  }

  /** Exponential backoff: {@code first × 2^attempt}, capped, for at most {@code attempts} retries. */
  public record Backoff(Duration first, Duration max, int attempts) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 6);

    void sleep(int attempt) {
      long millis = Math.min(max.toMillis(), first.toMillis() << Math.min(attempt, 20));
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while backing off", e);
      }
    }
  }
}
