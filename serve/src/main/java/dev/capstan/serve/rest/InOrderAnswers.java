package dev.capstan.serve.rest;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request at a time per connection, so that answers leave in the order the requests came, as
 * HTTP/1.1 requires of pipelined requests: a request read while another is being answered waits
 * here, and reading stops while {@value #MAX_WAITING} wait. A client that half-closes after its
 * requests (it has nothing more to send) still gets every answer; the connection closes after the
 * last one.
 */
final class InOrderAnswers extends ChannelDuplexHandler {
    static final int MAX_WAITING = 16;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering;
    private boolean inputEnded;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!answering) {
            answering = true;
            ctx.fireChannelRead(request);
            return;
        }
        if (closing) {
            request.release();
            return;
        }
        waiting.add(request);
        if (waiting.size() >= MAX_WAITING) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean answered = msg instanceof LastHttpContent && !interim(msg);
        if (msg instanceof HttpResponse response && !HttpUtil.isKeepAlive(response)) {
            closing = true; // the connection ends after this answer: what waits will not be answered
            release();
        }
        ctx.write(msg, promise);
        if (answered) {
            // after the caller's flush, which follows this write
            ctx.executor().execute(() -> next(ctx));
        }
    }

    /** A 1xx answer (100 Continue) ends no request. */
    private static boolean interim(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private void next(ChannelHandlerContext ctx) {
        answering = false;
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        FullHttpRequest request = waiting.poll();
        if (request != null) {
            answering = true;
            if (!ctx.channel().config().isAutoRead() && !inputEnded) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelRead(request);
        } else if (inputEnded) {
            closeAfterWrites(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            if (!answering && waiting.isEmpty() && !closing) {
                closeAfterWrites(ctx);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private static void closeAfterWrites(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            ReferenceCountUtil.release(request);
        }
    }
}
