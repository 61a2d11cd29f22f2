package org.hvkit.toolstack.xl.internal;

import org.apache.felix.service.command.CommandSession;

/**
 * How a non-zero xl/hv exit status leaves a Gogo command. Gogo has no exit statuses, only
 * exceptions, and its interactive console prints every exception as a
 * {@code gogo: XlExitException: ...} line under xl's own message. So: in a script session (the
 * runner behind {@code ./hvkit -c} sets {@value #SCRIPT_VARIABLE}) the status travels in an
 * {@link XlExitException}, which ends the script with that status; at the prompt xl's message is
 * all the operator sees, as on a Xen host.
 */
final class GogoStatus {
    /** Session variable the shell bundle's script runner sets to {@code true}; shared by name only. */
    static final String SCRIPT_VARIABLE = ".hvkit.script";

    private GogoStatus() {}

    static void end(CommandSession session, int status) {
        if (status == 0) {
            return;
        }
        if (session != null && !Boolean.TRUE.equals(session.get(SCRIPT_VARIABLE))) {
            return; // interactive: the message is printed; an exception would add a line
        }
        throw new XlExitException(status);
    }
}
