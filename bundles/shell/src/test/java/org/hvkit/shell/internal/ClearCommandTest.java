package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClearCommandTest {
    @Test
    void writesCursorHomeAndEraseScreen() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ClearCommand.clear(new PrintStream(o, true, StandardCharsets.UTF_8));
        assertEquals("\033[H\033[2J", o.toString(StandardCharsets.UTF_8));
    }
}
