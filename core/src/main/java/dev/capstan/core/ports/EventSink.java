package dev.capstan.core.ports;

/** Where controllers record events about an object ({@code kind namespace/name}). */
@FunctionalInterface
public interface EventSink {
  void record(String object, EventType type, String reason, String message);

  /** Kubernetes event types. */
  enum EventType {
    Normal,
    Warning
  }
}
