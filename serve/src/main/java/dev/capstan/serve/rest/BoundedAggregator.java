package dev.capstan.serve.rest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Collects a request body up to a limit. A declared Content-Length over the limit is refused before
 * any of the body is read; a body (or a decompressed body) that grows past it is refused as soon
 * as it does. Either way the answer is 413 with a JSON error, and the connection closes without losing that answer
 * ({@link FinalAnswer}).
 */
public final class BoundedAggregator extends HttpObjectAggregator {
    private final int limit;

    public BoundedAggregator(int limit) {
        super(limit);
        this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FinalAnswer.send(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body is larger than the limit of " + limit + " bytes");
    }
}
