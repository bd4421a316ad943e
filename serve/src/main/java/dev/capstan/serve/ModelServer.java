package dev.capstan.serve;

import dev.capstan.serve.engine.Engines;
import dev.capstan.serve.grpc.GrpcInferenceService;
import dev.capstan.serve.grpc.GrpcListener;
import dev.capstan.serve.metrics.ServeMetrics;
import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.model.ModelLoader;
import dev.capstan.serve.model.ModelRepository;
import dev.capstan.serve.rest.RestRoutes;
import dev.capstan.serve.rest.RestServer;
import dev.capstan.serve.transport.DescriptorLimit;
import dev.capstan.serve.transport.OpenConnections;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running model server: the models, REST and gRPC listeners sharing one set of Netty event
 * loops and one cap on open connections, metrics, and an orderly drain: readiness turns false,
 * listeners close, every accepted request is answered, then everything stops.
 */
public final class ModelServer implements AutoCloseable {
    /** A model directory to serve, and the name to serve it under (null: from model.yaml or the directory). */
    public record ModelSource(Path dir, String name) {
    }

    private final ServerConfig config;
    private final ModelRepository models;
    private final ServeMetrics metrics;
    private final ServerState state;
    private final InferenceDispatcher dispatcher;
    private final RepositoryExtension repository;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final DescriptorLimit descriptors;
    private final OpenConnections connections;
    private final RestServer rest;
    private final Server grpc;
    private volatile boolean closed;

    private ModelServer(ServerConfig config, ModelRepository models, ServeMetrics metrics, ModelLoader loader) throws IOException {
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        this.state = new ServerState(models);
        this.dispatcher = new InferenceDispatcher(models);
        this.repository = new RepositoryExtension(config, models, loader);
        this.boss = NettyTransport.eventLoops(1);
        this.workers = NettyTransport.eventLoops(Runtime.getRuntime().availableProcessors());
        this.descriptors = DescriptorLimit.current();
        this.connections = new OpenConnections(config.connections().cap(descriptors));
        metrics.watch(connections);
        try {
            this.rest = RestServer.start(config.host(), config.httpPort(), config.maxBodyBytes(), config.connections(), connections,
                    new RestRoutes(dispatcher, state, metrics, repository), boss, workers);
            this.grpc = config.grpcPort() < 0 ? null : GrpcListener.start(config.host(), config.grpcPort(), config.maxBodyBytes(),
                    config.connections(), connections, new GrpcInferenceService(dispatcher, state, metrics, repository), boss, workers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownLoops();
            throw new IOException("interrupted while binding", e);
        } catch (IOException | RuntimeException e) {
            shutdownLoops();
            throw e;
        }
    }

    /** Loads every model, then starts listening. */
    public static ModelServer start(ServerConfig config, List<ModelSource> sources) throws Exception {
        ServeMetrics metrics = new ServeMetrics();
        ModelLoader loader = new ModelLoader(Engines.discover(), metrics::observer);
        ModelRepository models = new ModelRepository();
        try {
            for (ModelSource source : sources) {
                LoadedModel model = loader.load(source.dir(), source.name());
                models.put(model);
            }
            return new ModelServer(config, models, metrics, loader);
        } catch (Exception e) {
            models.close();
            throw e;
        }
    }

    public int httpPort() {
        return rest.port();
    }

    public int grpcPort() {
        return grpc == null ? -1 : grpc.getPort();
    }

    /** The connections open now, REST and gRPC, and the cap on them. */
    public OpenConnections connections() {
        return connections;
    }

    /** The descriptor limit the connection cap was derived from (when it was not configured). */
    public DescriptorLimit descriptors() {
        return descriptors;
    }

    public InferenceDispatcher dispatcher() {
        return dispatcher;
    }

    public ServerState state() {
        return state;
    }

    /**
     * Stops taking work and answers everything accepted: readiness false, listeners closed,
     * queues drained (up to the drain timeout), then models and event loops closed.
     */
    public synchronized void drain() {
        if (closed) {
            return;
        }
        closed = true;
        state.startDraining();
        rest.closeListener();
        if (grpc != null) {
            grpc.shutdown();
        }
        long end = System.nanoTime() + config.drainTimeout().toNanos();
        awaitQuiet(end);
        models.all().forEach(m -> m.batcher().stopAccepting());
        awaitQuiet(end);
        if (grpc != null) {
            try {
                grpc.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc.shutdownNow();
        }
        repository.close();
        shutdownLoops();
        models.close();
    }

    private void awaitQuiet(long endNanos) {
        try {
            while (System.nanoTime() < endNanos) {
                boolean idle = metrics.inFlight() == 0;
                for (LoadedModel model : models.all()) {
                    idle &= model.batcher().awaitIdle(Duration.ofNanos(Math.max(0, endNanos - System.nanoTime())));
                }
                if (idle && metrics.inFlight() == 0) {
                    return;
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        drain();
    }
}
