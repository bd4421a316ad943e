package dev.capstan.serve.rest;

import dev.capstan.serve.InferenceDispatcher;
import dev.capstan.serve.RepositoryExtension;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.ServerState;
import dev.capstan.serve.metrics.ServeMetrics;
import dev.capstan.serve.model.LoadedModel;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Maps the protocol's REST paths to answers; knows nothing of Netty. */
public final class RestRoutes {
    private final InferenceDispatcher dispatcher;
    private final ServerState state;
    private final ServeMetrics metrics;
    private final RepositoryExtension repository;

    public RestRoutes(InferenceDispatcher dispatcher, ServerState state, ServeMetrics metrics, RepositoryExtension repository) {
        this.dispatcher = dispatcher;
        this.state = state;
        this.metrics = metrics;
        this.repository = repository;
    }

    /** The answer to one request; never fails: errors become error replies. */
    CompletableFuture<RestReply> handle(String method, String uri, String authorization, String headerLength,
                                        byte[] body, int offset, int length) {
        try {
            return route(method, path(uri), authorization, new Body(headerLength, body, offset, length));
        } catch (ServeException e) {
            return CompletableFuture.completedFuture(RestReply.error(e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RestReply.error(ServeException.of(e)));
        }
    }

    /** A request body; {@code headerLength} is the value of {@code Inference-Header-Content-Length}, if sent. */
    private record Body(String headerLength, byte[] bytes, int offset, int length) {
    }

    private CompletableFuture<RestReply> route(String method, String[] p, String authorization, Body body) {
        if (p.length == 1 && p[0].equals("metrics")) {
            requireMethod(method, "GET");
            String text = metrics.render(models(), lm -> lm.batcher().queueDepth());
            return done(new RestReply(200, ServeMetrics.contentType(), out -> out.write(text.getBytes(StandardCharsets.UTF_8)), Map.of()));
        }
        if (p.length == 0 || !p[0].equals("v2")) {
            throw ServeException.notFound("no such path; the protocol lives under /v2");
        }
        if (p.length == 1) {
            requireMethod(method, "GET");
            List<String> extensions = repository.enabled() ? List.of("model_repository") : List.of();
            return done(RestReply.json(out -> ResponseJson.serverMetadata(ServerConfig.NAME, ServerConfig.VERSION, extensions, out)));
        }
        if (p.length == 3 && p[1].equals("health")) {
            requireMethod(method, "GET");
            return switch (p[2]) {
                case "live" -> done(RestReply.json(out -> ResponseJson.flag("live", state.live(), out)));
                case "ready" -> {
                    boolean ready = state.ready();
                    yield done(RestReply.json(ready ? 200 : 503, out -> ResponseJson.flag("ready", ready, out)));
                }
                default -> throw ServeException.notFound("no such health check '" + p[2] + "'");
            };
        }
        if (p[1].equals("models") && p.length >= 3) {
            return model(method, p, body);
        }
        if (p[1].equals("repository")) {
            return repository(method, p, authorization, body);
        }
        throw ServeException.notFound("no such path");
    }

    private CompletableFuture<RestReply> model(String method, String[] p, Body body) {
        String name = p[2];
        String version = null;
        int next = 3;
        if (p.length >= 5 && p[3].equals("versions")) {
            version = p[4];
            next = 5;
        }
        String action = p.length > next ? p[next] : "";
        if (p.length > next + 1) {
            throw ServeException.notFound("no such path");
        }
        return switch (action) {
            case "" -> {
                requireMethod(method, "GET");
                LoadedModel model = dispatcher.models().find(name, version);
                yield done(RestReply.json(out -> ResponseJson.modelMetadata(model, out)));
            }
            case "ready" -> {
                requireMethod(method, "GET");
                LoadedModel model = dispatcher.models().find(name, version);
                boolean ready = state.ready(model);
                yield done(RestReply.json(out -> ResponseJson.modelReady(model, ready, out)));
            }
            case "infer" -> {
                requireMethod(method, "POST");
                yield infer(name, version, body);
            }
            default -> throw ServeException.notFound("no such model path '" + action + "'");
        };
    }

    private CompletableFuture<RestReply> infer(String name, String version, Body body) {
        long start = System.nanoTime();
        metrics.started();
        CompletableFuture<RestReply> reply;
        try {
            dispatcher.models().find(name, version);
            RestInferRequest request = InferRequestJson.read(body.bytes(), body.offset(), body.length(), body.headerLength());
            reply = dispatcher.infer(name, version, request.request())
                    .handle((response, error) -> error == null
                            ? BinaryInferResponse.reply(response, request.binaryOutputs())
                            : RestReply.error(ServeException.of(error)));
        } catch (RuntimeException e) {
            reply = CompletableFuture.completedFuture(RestReply.error(ServeException.of(e)));
        }
        return reply.whenComplete((r, e) -> {
            metrics.finished();
            metrics.request(dispatcher.metricsLabel(name), "rest", r == null ? 500 : r.code(), System.nanoTime() - start);
        });
    }

    private CompletableFuture<RestReply> repository(String method, String[] p, String authorization, Body body) {
        requireMethod(method, "POST");
        repository.authorize(authorization);
        if (p.length == 3 && p[2].equals("index")) {
            return done(RestReply.json(out -> ResponseJson.repositoryIndex(models().values(), out)));
        }
        if (p.length != 5 || !p[2].equals("models")) {
            throw ServeException.notFound("no such repository path");
        }
        String name = p[3];
        return switch (p[4]) {
            case "load" -> {
                Map<String, Object> parameters = body.length() == 0 ? Map.of()
                        : InferRequestJson.parametersOnly(body.bytes(), body.offset(), body.length());
                yield repository.load(name, parameters).handle((ok, error) -> error == null
                        ? RestReply.json(out -> ResponseJson.repositoryAction(name, "load", out))
                        : RestReply.error(ServeException.of(error)));
            }
            case "unload" -> {
                repository.unload(name);
                yield done(RestReply.json(out -> ResponseJson.repositoryAction(name, "unload", out)));
            }
            default -> throw ServeException.notFound("no such repository action '" + p[4] + "'");
        };
    }

    private Map<String, LoadedModel> models() {
        Map<String, LoadedModel> byName = new java.util.TreeMap<>();
        dispatcher.models().all().forEach(m -> byName.put(m.name(), m));
        return byName;
    }

    /** HEAD is allowed wherever GET is: the same status and headers, no body (Netty's codec leaves it out). */
    private static void requireMethod(String actual, String wanted) {
        if (!actual.equals(wanted) && !(wanted.equals("GET") && actual.equals("HEAD"))) {
            throw new ServeException(ServeStatus.METHOD_NOT_ALLOWED, "use " + wanted + " here, not " + actual);
        }
    }

    private static String[] path(String uri) {
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        String[] parts = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static CompletableFuture<RestReply> done(RestReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
