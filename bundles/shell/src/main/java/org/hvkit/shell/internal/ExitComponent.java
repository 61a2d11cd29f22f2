package org.hvkit.shell.internal;

import java.util.Hashtable;
import java.util.List;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Registers {@link ExitCommand} as {@code gogo:exit}. The hypervisor is optional (a distribution
 * without one has no domains to ask about); leaving with status 0 stops the framework in order
 * (the launcher then ends, ./hvkit reports 0), another status ends the JVM with it.
 */
@Component(service = {}, immediate = true)
public final class ExitComponent {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Hypervisor hypervisor;

    private ServiceRegistration<?> registration;

    @Activate
    void activate(BundleContext bc) {
        ExitCommand command = new ExitCommand(this::guests, status -> leave(bc, status));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "gogo");
        props.put("osgi.command.function", new String[] {"exit"});
        registration = bc.registerService(Object.class, command, props);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    private List<String> guests() {
        Hypervisor hv = hypervisor;
        if (hv == null) {
            return List.of();
        }
        return hv.listDomains().stream().filter(d -> d.id() != 0).map(DomainInfo::name).toList();
    }

    private static void leave(BundleContext bc, int status) {
        if (status != 0) {
            System.exit(status);
        }
        try {
            bc.getBundle(0).stop();
        } catch (BundleException e) {
            throw new IllegalStateException("exit: cannot stop the framework: " + e.getMessage(), e);
        }
    }
}
