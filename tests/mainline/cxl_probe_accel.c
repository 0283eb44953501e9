// SPDX-License-Identifier: GPL-2.0-only
/*
 * cxl_probe_accel: a memdev creator for Linux 7.2.8's devm_cxl_probe_mem(),
 * the harness's stand-in for an accelerator (Type-2) driver there; no
 * in-tree driver calls it.
 *
 * It binds only through driver_override, to a PCI function that carries the
 * CXL device DVSEC and component registers (a QEMU cxl-type3 function taken
 * from cxl_pci), builds a cxl_dev_state of type CXL_DEVTYPE_DEVMEM with no
 * mailbox, sizes its HDM from DVSEC range 1, and calls devm_cxl_probe_mem()
 * from its probe. When that fails it carries on as a plain PCIe device, as
 * an accelerator does. Under QEMU it fails unless firmware committed a
 * region (cxl_memdev_attach_region()), which it does not.
 *
 * PCI device attributes, for the tests: cxl_mode ("cxl" or "pcie"),
 * binding (this binding's number, counted from 1 since the module loaded)
 * and cxlds_memdev (what cxlds->cxlmd names: "none", the memdev
 * devm_cxl_probe_mem() returned, or "stale", never dereferenced).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <cxl/cxl.h>
#include <cxlmem.h>
#include <cxlpci.h>

static bool use_cxl = true;
module_param(use_cxl, bool, 0644);
MODULE_PARM_DESC(use_cxl, "ask for CXL.mem in probe (default: yes); no: PCIe only");

static atomic_t bindings = ATOMIC_INIT(0);

struct probe_accel {
	struct cxl_dev_state cxlds;	/* first: devm_cxl_dev_state_create() */
	struct cxl_memdev *cxlmd;	/* NULL: running without CXL.mem */
	struct range hpa;
	int binding;
};

/* HDM size and media state from DVSEC range 1, as a Type-2 driver would */
static int probe_accel_dpa_setup(struct cxl_dev_state *cxlds)
{
	struct pci_dev *pdev = to_pci_dev(cxlds->dev);
	struct cxl_dpa_info info = { .nr_partitions = 1 };
	int d = cxlds->cxl_dvsec;
	u32 hi, lo;
	u64 size;
	int rc;

	rc = pci_read_config_dword(pdev, d + PCI_DVSEC_CXL_RANGE_SIZE_HIGH(0), &hi);
	if (!rc)
		rc = pci_read_config_dword(pdev, d + PCI_DVSEC_CXL_RANGE_SIZE_LOW(0), &lo);
	if (rc)
		return pcibios_err_to_errno(rc);

	size = (u64)hi << 32 | (lo & PCI_DVSEC_CXL_MEM_SIZE_LOW);
	if (!(lo & PCI_DVSEC_CXL_MEM_INFO_VALID) || !size)
		return -ENODEV;
	cxlds->media_ready = lo & PCI_DVSEC_CXL_MEM_ACTIVE;

	info.size = size;
	info.part[0].range = (struct range) { .start = 0, .end = size - 1 };
	info.part[0].mode = CXL_PARTMODE_RAM;
	return cxl_dpa_setup(cxlds, &info);
}

static int probe_accel_cxl_init(struct probe_accel *accel, struct pci_dev *pdev)
{
	struct cxl_dev_state *cxlds = &accel->cxlds;
	struct cxl_memdev *cxlmd;
	int rc;

	rc = cxl_pci_setup_regs(pdev, CXL_REGLOC_RBI_COMPONENT, &cxlds->reg_map);
	if (rc)
		return rc;

	rc = probe_accel_dpa_setup(cxlds);
	if (rc)
		return rc;

	cxlmd = devm_cxl_probe_mem(cxlds, &accel->hpa);
	if (IS_ERR(cxlmd))
		return PTR_ERR(cxlmd);

	accel->cxlmd = cxlmd;
	return 0;
}

static int probe_accel_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct probe_accel *accel;
	u16 dvsec;
	int rc;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;

	dvsec = pci_find_dvsec_capability(pdev, PCI_VENDOR_ID_CXL,
					  PCI_DVSEC_CXL_DEVICE);
	if (!dvsec)
		return -ENODEV;

	accel = devm_cxl_dev_state_create(&pdev->dev, CXL_DEVTYPE_DEVMEM,
					  pci_get_dsn(pdev), dvsec,
					  struct probe_accel, cxlds, false);
	if (!accel)
		return -ENOMEM;
	accel->binding = atomic_inc_return(&bindings);
	pci_set_drvdata(pdev, accel);

	rc = READ_ONCE(use_cxl) ? probe_accel_cxl_init(accel, pdev) : -EOPNOTSUPP;
	if (rc)
		dev_info(&pdev->dev, "binding %d: CXL.mem unavailable (%pe), running as PCIe only\n",
			 accel->binding, ERR_PTR(rc));
	else
		dev_info(&pdev->dev, "binding %d: CXL.mem via %s\n",
			 accel->binding, dev_name(&accel->cxlmd->dev));

	return 0;
}

static ssize_t cxl_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct probe_accel *accel = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", accel->cxlmd ? "cxl" : "pcie");
}
static DEVICE_ATTR_RO(cxl_mode);

static ssize_t binding_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct probe_accel *accel = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", accel->binding);
}
static DEVICE_ATTR_RO(binding);

static ssize_t cxlds_memdev_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct probe_accel *accel = dev_get_drvdata(dev);
	struct cxl_memdev *cxlmd = READ_ONCE(accel->cxlds.cxlmd);

	if (!cxlmd)
		return sysfs_emit(buf, "none\n");
	if (cxlmd != accel->cxlmd)
		return sysfs_emit(buf, "stale\n");
	return sysfs_emit(buf, "%s\n", dev_name(&cxlmd->dev));
}
static DEVICE_ATTR_RO(cxlds_memdev);

static struct attribute *probe_accel_attrs[] = {
	&dev_attr_cxl_mode.attr,
	&dev_attr_binding.attr,
	&dev_attr_cxlds_memdev.attr,
	NULL
};
ATTRIBUTE_GROUPS(probe_accel);

/* No ids: this driver only binds where driver_override asks for it */
static const struct pci_device_id probe_accel_ids[] = {
	{ },
};

static struct pci_driver probe_accel_driver = {
	.name = KBUILD_MODNAME,
	.id_table = probe_accel_ids,
	.probe = probe_accel_probe,
	.dev_groups = probe_accel_groups,
};
module_pci_driver(probe_accel_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test memdev creator for devm_cxl_probe_mem()");
MODULE_IMPORT_NS("CXL");
