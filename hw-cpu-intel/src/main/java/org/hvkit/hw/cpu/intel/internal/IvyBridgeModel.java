package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The IvyBridge model as a service: {@code (hvkit.cpu.model=IvyBridge)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=IvyBridge")
public final class IvyBridgeModel extends IntelCpuModel {
    public IvyBridgeModel() {
        super(IntelModels.spec("IvyBridge"));
    }
}
