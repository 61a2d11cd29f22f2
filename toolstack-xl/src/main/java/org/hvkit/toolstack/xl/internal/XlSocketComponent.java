package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.hvkit.api.xsm.Xsm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the standalone xl client when the framework property {@code hvkit.xl.socket} names a
 * socket path ({@code ./hvkit daemon} sets it); otherwise does nothing. With {@code hvkit.xl.socket.group}
 * that group may reach the socket, and each of its users is admitted under the label the security
 * policy maps it to (FLASK's {@code peercon}), or refused at connect.
 */
@Component(immediate = true)
public final class XlSocketComponent {
    private static final Logger LOG = LoggerFactory.getLogger(XlSocketComponent.class);
    private final XlSocketServer server;

    @Activate
    public XlSocketComponent(@Reference XlCommand xl, @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL) Xsm xsm,
            BundleContext context) {
        String path = context.getProperty("hvkit.xl.socket");
        String group = context.getProperty("hvkit.xl.socket.group");
        XlSocketServer s = null;
        if (path != null && !path.isBlank()) {
            try {
                s = XlSocketServer.start(Path.of(path), xl::run, null, xsm == null ? null : xsm::admit, group == null || group.isBlank() ? null : group);
                LOG.info("xl socket listening on {}", path);
            } catch (IOException e) {
                LOG.error("cannot open the xl socket {}: {}", path, e.toString());
            }
        }
        server = s;
    }

    @Deactivate
    void stop() {
        if (server != null) server.close();
    }
}
