package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The IcelakeServer model as a service: {@code (hvkit.cpu.model=IcelakeServer)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=IcelakeServer")
public final class IcelakeServerModel extends IntelCpuModel {
    public IcelakeServerModel() {
        super(IntelModels.spec("IcelakeServer"));
    }
}
