package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * The user at the other end of a Unix-domain socket (SO_PEERCRED). Reached by reflection so that
 * the bundle does not import {@code jdk.net}, which an OSGi framework need not export; plain Java
 * (no logging) so that the standalone client can use it too.
 */
final class PeerCred {
    private PeerCred() {
    }

    /** The peer's user name, or null where the platform cannot tell. */
    static String user(SocketChannel c) {
        try {
            Class<?> opts = ClassLoader.getPlatformClassLoader().loadClass("jdk.net.ExtendedSocketOptions");
            @SuppressWarnings("unchecked")
            java.net.SocketOption<Object> peercred = (java.net.SocketOption<Object>) opts.getField("SO_PEERCRED").get(null);
            Object principal = c.getOption(peercred);
            Object user = principal.getClass().getMethod("user").invoke(principal);
            return ((java.security.Principal) user).getName();
        } catch (ReflectiveOperationException | IOException | UnsupportedOperationException | ClassCastException e) {
            return null;
        }
    }
}
