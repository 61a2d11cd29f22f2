package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The Broadwell model as a service: {@code (hvkit.cpu.model=Broadwell)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=Broadwell")
public final class BroadwellModel extends IntelCpuModel {
    public BroadwellModel() {
        super(IntelModels.spec("Broadwell"));
    }
}
