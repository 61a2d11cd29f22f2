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
        return principal(c, "user");
    }

    /** The peer's group (SO_PEERCRED's gid) by name, or null where the platform cannot tell. */
    static String group(SocketChannel c) {
        return principal(c, "group");
    }

    private static String principal(SocketChannel c, String which) {
        try {
            Class<?> opts = ClassLoader.getPlatformClassLoader().loadClass("jdk.net.ExtendedSocketOptions");
            @SuppressWarnings("unchecked")
            java.net.SocketOption<Object> peercred = (java.net.SocketOption<Object>) opts.getField("SO_PEERCRED").get(null);
            Object principal = c.getOption(peercred);
            Object p = principal.getClass().getMethod(which).invoke(principal);
            return ((java.security.Principal) p).getName();
        } catch (ReflectiveOperationException | IOException | UnsupportedOperationException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The peer's groups: SO_PEERCRED's gid and every group of {@code /etc/group} that lists the user
     * (SO_PEERCRED carries no supplementary groups; this is what initgroups gave the user's login).
     */
    static java.util.Set<String> groups(String user, String primary) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (primary != null) out.add(primary);
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/group"))) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && java.util.Arrays.asList(f[3].split(",")).contains(user)) out.add(f[0]);
            }
        } catch (IOException e) {
            // only the primary group then
        }
        return out;
    }
}
