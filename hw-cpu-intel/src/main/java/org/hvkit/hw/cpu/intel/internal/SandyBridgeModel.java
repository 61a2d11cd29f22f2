package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The SandyBridge model as a service: {@code (hvkit.cpu.model=SandyBridge)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=SandyBridge")
public final class SandyBridgeModel extends IntelCpuModel {
    public SandyBridgeModel() {
        super(IntelModels.spec("SandyBridge"));
    }
}
