package dev.capstan.train.collective;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RankTableTest {

  @Test
  void aConnectionThatReachedItselfIsRecognised() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int port = RingCommunicatorTest.freePort();
    try (Socket socket = new Socket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(loopback, port));
      // with nothing listening, a loopback connect from a port to itself completes (simultaneous open)
      socket.connect(new InetSocketAddress(loopback, port), 2_000);
      assertTrue(RankTable.connectedToItself(socket));
    }
  }

  @Test
  void aConnectionToAListenerIsNotTakenForItself() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket listener = new ServerSocket(0, 1, loopback);
        Socket socket = new Socket(loopback, listener.getLocalPort())) {
      assertFalse(RankTable.connectedToItself(socket));
    }
  }
}
