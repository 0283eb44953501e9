// SPDX-License-Identifier: GPL-2.0-only
/*
 * Harness only, never part of the series: cxl_mock_accel built into the
 * kernel ahead of drivers/cxl, as a Type-2 driver in drivers/gpu would be.
 * scripts/build-builtin.sh copies this file to drivers/gpu/ of a copy of the
 * series' tree and links it there, so its probe runs at device_initcall
 * before any initcall of that level in drivers/cxl.
 *
 * The driver is tools/testing/cxl/test/accel.c itself, under this object's
 * name. It matches no ids; the function it takes is claimed for it at
 * fs_initcall, after PCI enumeration and before any device_initcall driver
 * registers: the Type-3 function whose Device Serial Number is
 * cxl_builtin_accel.serial= (default 3, the one behind the switch in
 * scenarios/hw.sh).
 */
#include "../../tools/testing/cxl/test/accel.c"

static ulong serial = 3;
module_param(serial, ulong, 0444);
MODULE_PARM_DESC(serial, "Device Serial Number of the function to take");

static int __init cxl_builtin_accel_claim(void)
{
	struct pci_dev *pdev = NULL;
	int rc;

	while ((pdev = pci_get_class(PCI_CLASS_MEMORY_CXL << 8 | CXL_MEMORY_PROGIF, pdev))) {
		if (pci_get_dsn(pdev) != serial)
			continue;
		rc = driver_set_override(&pdev->dev, &pdev->driver_override,
					 KBUILD_MODNAME, strlen(KBUILD_MODNAME));
		pr_info("%s: claimed %s (serial %#lx): %d\n", KBUILD_MODNAME,
			pci_name(pdev), serial, rc);
		pci_dev_put(pdev);
		return rc;
	}
	pr_err("%s: no CXL memory device function with serial %#lx\n",
	       KBUILD_MODNAME, serial);
	return -ENODEV;
}
fs_initcall(cxl_builtin_accel_claim);
