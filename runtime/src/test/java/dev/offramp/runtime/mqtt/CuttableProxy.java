package dev.offramp.runtime.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP relay whose connections can be cut abruptly, as a network failure would. */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CuttableProxy(int upstreamPort) throws IOException {
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket down = server.accept();
                  Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                  sockets.add(down);
                  sockets.add(up);
                  pump(down, up);
                  pump(up, down);
                } catch (IOException e) {
                  // closed
                }
              }
            },
            "proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String url() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // cut
              }
              closeQuietly(from);
              closeQuietly(to);
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Resets every relayed connection (no MQTT DISCONNECT reaches the broker). */
  void cutAll() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(s);
    }
    sockets.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // ignore
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cutAll();
  }
}
