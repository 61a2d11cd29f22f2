package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The SkylakeServer model as a service: {@code (hvkit.cpu.model=SkylakeServer)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=SkylakeServer")
public final class SkylakeServerModel extends IntelCpuModel {
    public SkylakeServerModel() {
        super(IntelModels.spec("SkylakeServer"));
    }
}
