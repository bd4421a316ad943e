package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits and ports are checked when the configuration is made, with the field that is wrong. */
class GatewayLimitsTest {
    @Test
    void refusesOutOfRangeValuesNamingTheField() {
        assertEquals("limits.activatorBuffer: must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> GatewayLimits.defaults().withActivator(0, Duration.ofSeconds(1))).getMessage());
        assertEquals("limits.activatorTimeout: must be a positive duration, not PT0S",
                assertThrows(IllegalArgumentException.class, () -> GatewayLimits.defaults().withActivator(1, Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GatewayLimits.defaults().withActivator(GatewayLimits.MAX_ACTIVATOR_BUFFER + 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> GatewayLimits.defaults().withMaxBodyBytes(0));
        assertThrows(IllegalArgumentException.class, () -> GatewayLimits.defaults().withConnections(-1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.loopback().withPorts(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.loopback().withPorts(0, -2));
    }

    @Test
    void readsTheModelNameFromTheWireFormWithoutDecodingTheRest() {
        byte[] request = {0x0a, 0x04, 'i', 'r', 'i', 's', 0x12, 0x01, '1'};
        assertEquals("iris", GrpcMessages.stringField(Unpooled.wrappedBuffer(request), 1));
        byte[] nameAfterOthers = {0x18, (byte) 0x96, 0x01, 0x12, 0x01, '1', 0x0a, 0x02, 'a', 'b'};
        assertEquals("ab", GrpcMessages.stringField(Unpooled.wrappedBuffer(nameAfterOthers), 1));
        assertEquals(null, GrpcMessages.stringField(Unpooled.wrappedBuffer(new byte[] {0x0a, 0x09, 'x'}), 1), "a length past the end");
        assertEquals(null, GrpcMessages.stringField(Unpooled.EMPTY_BUFFER, 1));
        byte[] framed = {0, 0, 0, 0, 6, 0x0a, 0x04, 'i', 'r', 'i', 's'};
        assertEquals("iris", GrpcMessages.stringField(Unpooled.wrappedBuffer(framed).skipBytes(GrpcMessages.PREFIX_BYTES), 1),
                "read from where the message starts, past its prefix");
    }
}
