package dev.capstan.local.server;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lets a request through only when it is addressed to this server and carries the home's token:
 * <ol>
 *   <li>{@code Host} must name the listening address ({@code 127.0.0.1:<port>} or
 *       {@code localhost:<port>}), so a page whose domain was rebound to 127.0.0.1 is refused (403);
 *   <li>an {@code Origin}, when sent, must be this server's own: browsers send it on cross-origin
 *       requests, which are refused (403); no CORS header is ever answered;
 *   <li>{@code Authorization: Bearer <token>} must match {@code $CAPSTAN_HOME/token} (else 401 with
 *       {@code WWW-Authenticate: Bearer}).
 * </ol>
 */
final class ApiAccessFilter extends Filter {
  private final ApiToken token;
  private final Set<String> authorities;

  ApiAccessFilter(ApiToken token, InetSocketAddress listening) {
    this.token = token;
    String address = listening.getAddress() instanceof Inet6Address
        ? "[" + listening.getAddress().getHostAddress() + "]" : listening.getAddress().getHostAddress();
    int port = listening.getPort();
    this.authorities = Set.of(address + ":" + port, "localhost:" + port);
  }

  @Override
  public void doFilter(HttpExchange ex, Chain chain) throws IOException {
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null || !authorities.contains(host.toLowerCase(Locale.ROOT))) {
      refuse(ex, 403, "Host '" + host + "' is not this server's address; use one of " + String.join(", ", authorities.stream().sorted().toList()));
      return;
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin != null && !authorities.stream().anyMatch(a -> origin.equalsIgnoreCase("http://" + a))) {
      refuse(ex, 403, "cross-origin requests are not accepted (Origin '" + origin + "')");
      return;
    }
    if (!token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"capstan\"");
      refuse(ex, 401, "missing or wrong token: send 'Authorization: Bearer <token>' with the token from $CAPSTAN_HOME/token");
      return;
    }
    chain.doFilter(ex);
  }

  @Override
  public String description() {
    return "Host, Origin and bearer token checks";
  }

  private static void refuse(HttpExchange ex, int status, String message) throws IOException {
    try {
      HttpExchanges.error(ex, status, message, List.of());
    } finally {
      ex.close();
    }
  }
}
