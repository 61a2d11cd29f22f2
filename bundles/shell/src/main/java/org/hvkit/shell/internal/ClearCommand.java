package org.hvkit.shell.internal;

import java.io.PrintStream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;

/**
 * {@code clear}: clears the terminal, as Ctrl-L does at hvkit's console ({@link JlineConsole});
 * also for scripts, and for a distribution that keeps gogo.shell's cooked-terminal console, which
 * sees Ctrl-L only as a character of the entered line.
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
