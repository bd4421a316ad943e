package dev.capstan.local.serving;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RoutePublisher;
import java.io.IOException;

/**
 * Port: starts the gateway the local control plane hosts on 127.0.0.1 (the CLI answers it with
 * the {@code gateway} module, which local does not import). The control plane feeds it routes
 * and takes its load reports and scale-from-zero calls.
 */
@FunctionalInterface
public interface GatewayHost {
  Hosted start(GatewayFeedback feedback) throws IOException;

  /** A running gateway: where it listens, a route publisher, and a close that drains it. */
  interface Hosted extends RoutePublisher, AutoCloseable {
    int restPort();

    /** The gRPC port, or -1 when gRPC is off. */
    int grpcPort();

    @Override
    void close();
  }
}
