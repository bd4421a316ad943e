package dev.capstan.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The gateway's own REST answers: JSON bodies, errors as {@code {"error": "…"}} like the model server's. */
final class Answers {
    /** Seconds a client is told to wait before retrying after a 503. */
    static final int RETRY_AFTER_SECONDS = 1;

    private Answers() {
    }

    static FullHttpResponse json(ChannelHandlerContext ctx, int code, String json) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), json);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (code == 503) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response;
    }

    static FullHttpResponse error(ChannelHandlerContext ctx, int code, String message) {
        return json(ctx, code, errorJson(message));
    }

    static String errorJson(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    static String flag(String name, boolean value) {
        return "{\"" + name + "\":" + value + "}";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
