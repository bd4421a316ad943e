package dev.capstan.local.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out loopback ports that are free now and not already given to another replica, so two
 * jobs running at once never share one. The control plane has one, shared by training and
 * serving replicas.
 */
public final class PortAllocator {
  private final Set<Integer> given = new HashSet<>();

  public synchronized void reserve(int port) {
    given.add(port);
  }

  public synchronized void release(int port) {
    given.remove(port);
  }

  public synchronized int allocate() {
    for (int tries = 0; tries < 100; tries++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (given.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free loopback port", e);
      }
    }
    throw new IllegalStateException("cannot find a free loopback port after 100 tries");
  }
}
