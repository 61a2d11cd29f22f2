package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The CascadeLake model as a service: {@code (hvkit.cpu.model=CascadeLake)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=CascadeLake")
public final class CascadeLakeModel extends IntelCpuModel {
    public CascadeLakeModel() {
        super(IntelModels.spec("CascadeLake"));
    }
}
