package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the standalone xl client when the framework property {@code hvkit.xl.socket} names a
 * socket path ({@code ./hvkit daemon} sets it); otherwise does nothing.
 */
@Component(immediate = true)
public final class XlSocketComponent {
    private static final Logger LOG = LoggerFactory.getLogger(XlSocketComponent.class);
    private final XlSocketServer server;

    @Activate
    public XlSocketComponent(@Reference XlCommand xl, BundleContext context) {
        String path = context.getProperty("hvkit.xl.socket");
        XlSocketServer s = null;
        if (path != null && !path.isBlank()) {
            try {
                s = XlSocketServer.start(Path.of(path), xl::run, null);
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
