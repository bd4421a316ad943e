package dev.capstan.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/** Builds the gateway's HTTP/2 connection handlers (the gRPC listener's and the connections to replicas) with their settings. */
final class Http2Handlers<T extends Http2ConnectionHandler> extends AbstractHttp2ConnectionHandlerBuilder<T, Http2Handlers<T>> {
    /** Per-stream and per-connection flow-control window: fixed, so no BDP pings, and large enough for one tensor in flight. */
    static final int WINDOW = 4 * 1024 * 1024;
    /** Rapid reset: more RST_STREAM frames than this in the window closes the connection (serve's gRPC listener's figures). */
    static final int MAX_RESETS = 200;
    static final int RESET_WINDOW_SECONDS = 10;

    /** A frame listener for which a HEADERS frame's priority fields mean nothing: both forms of onHeadersRead are one. */
    abstract static class Frames extends Http2FrameAdapter {
        @Override
        public abstract void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers, int padding, boolean endStream);

        @Override
        public final void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers, int dependency, short weight,
                                        boolean exclusive, int padding, boolean endStream) {
            onHeadersRead(ctx, stream, headers, padding, endStream);
        }
    }

    interface Factory<T> {
        T create(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings);
    }

    private final Factory<T> factory;

    private Http2Handlers(boolean server, Http2Settings settings, Factory<T> factory) {
        this.factory = factory;
        server(server);
        initialSettings(settings);
        if (server) {
            decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS);
        }
    }

    /** The gRPC listener's side of a client connection. */
    static <T extends Http2ConnectionHandler> T server(int maxConcurrentStreams, int maxHeaderBytes, Factory<T> factory) {
        Http2Settings settings = new Http2Settings().initialWindowSize(WINDOW).maxConcurrentStreams(maxConcurrentStreams)
                .maxHeaderListSize(maxHeaderBytes);
        return new Http2Handlers<>(true, settings, factory).build();
    }

    /** The gateway's side of a connection to a replica. */
    static <T extends Http2ConnectionHandler> T client(int maxHeaderBytes, Factory<T> factory) {
        Http2Settings settings = new Http2Settings().initialWindowSize(WINDOW).pushEnabled(false).maxHeaderListSize(maxHeaderBytes);
        return new Http2Handlers<>(false, settings, factory).build();
    }

    @Override
    public T build() {
        return super.build();
    }

    @Override
    protected T build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
        return factory.create(decoder, encoder, settings);
    }
}
