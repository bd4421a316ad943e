package dev.capstan.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A real HTTP/1.1 client (keep-alive) for the gateway's REST listener. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();

    private Http() {
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
        return postAsync(port, path, body, headers).get();
    }

    static CompletableFuture<HttpResponse<String>> postAsync(int port, String path, String body, String... headers) {
        HttpRequest.Builder builder = request(port, path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return CLIENT.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(120));
    }
}
