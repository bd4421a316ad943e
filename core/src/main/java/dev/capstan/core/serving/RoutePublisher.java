package dev.capstan.core.serving;

/** Port: hands the gateway a new route table (in process locally; the gateway's API in a cluster). */
@FunctionalInterface
public interface RoutePublisher {
  void publish(RouteTable table);
}
