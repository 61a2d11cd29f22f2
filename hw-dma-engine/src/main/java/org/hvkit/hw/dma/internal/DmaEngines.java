package org.hvkit.hw.dma.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciDevice;
import org.hvkit.api.platform.StartupRefusal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a DMA engine at each host address of {@code hvkit.pci.devices} and registers it as a
 * {@link PciDevice} service ({@code hvkit.pci.address} = its address). A bad value refuses
 * start-up, like the other settings. On stop every engine is cut off and reset first.
 */
@Component(immediate = true)
public final class DmaEngines {
    private static final Logger LOG = LoggerFactory.getLogger(DmaEngines.class);
    public static final String ADDRESS_PROPERTY = "hvkit.pci.address";
    private final List<ServiceRegistration<PciDevice>> registrations = new ArrayList<>();
    private final List<DmaEngine> engines = new ArrayList<>();

    @Activate
    void activate(BundleContext bc) {
        List<PciAddress> addresses;
        try {
            addresses = DeviceList.parse(bc.getProperty(DeviceList.PROPERTY));
        } catch (IllegalArgumentException e) {
            StartupRefusal.refuse(bc.getBundle(0)::stop, e.getMessage());
            return;
        }
        for (PciAddress a : addresses) {
            DmaEngine engine = new DmaEngine(a);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(ADDRESS_PROPERTY, a.toString());
            props.put("hvkit.pci.vendor", DmaEngine.VENDOR);
            props.put("hvkit.pci.device", DmaEngine.DEVICE);
            engines.add(engine);
            registrations.add(bc.registerService(PciDevice.class, engine, props));
        }
        LOG.info("DMA engines at {}", addresses);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<PciDevice> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        for (DmaEngine e : engines) {
            e.connect(DmaPort.BLOCKED);
            e.reset();
        }
        registrations.clear();
        engines.clear();
    }
}
