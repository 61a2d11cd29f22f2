package org.hvkit.shell.internal;

import java.io.PrintStream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;

/**
 * {@code clear}: clears the terminal. Ctrl-L cannot do it at the {@code g!} prompt: gogo.shell's
 * console reads a cooked terminal, so the key reaches it only with Enter, as a character of the
 * line (its reader knows only backspace, Enter and Ctrl-D); clearing on the key itself needs a
 * raw-mode line editor (JLine, the gogo.jline shell), which replaces that console.
 */
@Component(service = ClearCommand.class, immediate = true)
@GogoCommand(scope = "hvkit", function = "clear")
public final class ClearCommand {
    /** Cursor home, then erase the screen (ANSI/VT100, what clear(1) writes for xterm-like terminals). */
    static final String CLEAR = "\033[H\033[2J";

    @Descriptor("clear the terminal (what Ctrl-L does in bash)")
    public void clear() {
        clear(System.out);
    }

    static void clear(PrintStream out) {
        out.print(CLEAR);
        out.flush();
    }
}
