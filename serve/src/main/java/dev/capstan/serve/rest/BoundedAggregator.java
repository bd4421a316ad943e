package dev.capstan.serve.rest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Collects a request body up to a limit. A declared Content-Length over the limit is refused before
 * any of the body is read; a body (or a decompressed body) that grows past it is refused as soon
 * as it does. Either way the answer is 413 with a JSON error, and the connection closes without losing that answer
 * ({@link FinalAnswer}); a request that asks {@code Expect: 100-continue} for a body over the limit gets that
 * same answer instead of a Continue. An expectation other than 100-continue is ignored, as HTTP lets a server do.
 */
public final class BoundedAggregator extends HttpObjectAggregator {
    private final int limit;

    public BoundedAggregator(int limit) {
        super(limit);
        this.limit = limit;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        String expectation = start.headers().get(HttpHeaderNames.EXPECT);
        if (expectation != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expectation)) {
            start.headers().remove(HttpHeaderNames.EXPECT);
            return null;
        }
        if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            return null; // refused as any declared body over the limit is, before it is sent
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FinalAnswer.send(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body is larger than the limit of " + limit + " bytes");
    }
}
