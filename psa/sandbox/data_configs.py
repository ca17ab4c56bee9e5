"""Seeded configurations: each customer's devices, with serials, IPs, MACs and hostnames."""

from __future__ import annotations

import random
from typing import Any

from psa.sandbox.data import CONFIG_STATUSES, CONFIG_TYPES, Reference, guid, info_stamp
from psa.sandbox.sla import DAY, cw_ts

_MODELS = {
    "Workstation": ("Dell", ("OptiPlex 7010", "OptiPlex 5000", "HP EliteDesk 800 G6")),
    "Laptop": ("Dell", ("Latitude 5440", "Latitude 7430", "ThinkPad T14 Gen 3")),
    "Server": ("Dell", ("PowerEdge T350", "PowerEdge R650", "HPE ProLiant ML350 Gen10")),
    "Firewall": ("Fortinet", ("FortiGate 60F", "SonicWall TZ370", "Meraki MX68")),
    "Switch": ("Cisco", ("Catalyst 1000-24P", "Meraki MS120-24P", "Aruba 2930F")),
    "Printer": ("HP", ("LaserJet M404", "LaserJet Pro MFP M428", "Brother HL-L2350DW")),
    "Wireless Access Point": ("Ubiquiti", ("UniFi U6 Pro", "Meraki MR36")),
    "NAS": ("Synology", ("DS920+", "RS1221+")),
}
_SHORT = {
    "Workstation": "WS", "Laptop": "LT", "Server": "SRV", "Firewall": "FW", "Switch": "SW",
    "Printer": "PRN", "Wireless Access Point": "AP", "NAS": "NAS",
}
_OS = {
    "Workstation": "Windows 11 Pro", "Laptop": "Windows 11 Pro",
    "Server": "Windows Server 2022 Standard",
}


def add_configurations(
    ref: Reference, rng: random.Random, company: dict[str, Any], config_id: int
) -> int:
    """A company's devices (firewall, switch, server, printer, workstations, laptops...);
    returns the last id used."""
    prefix = company["identifier"][:6].upper()
    subnet = f"10.{company['id'] % 250}.{rng.randrange(1, 250)}"
    kinds = ["Firewall", "Switch", "Server", "Printer"]
    kinds += ["Workstation"] * rng.randint(1, 4) + ["Laptop"] * rng.randint(0, 3)
    if rng.random() < 0.5:
        kinds += ["Wireless Access Point", "NAS"]
    contacts = ref.contacts_of[company["id"]]
    counts: dict[str, int] = {}
    for host_index, kind in enumerate(kinds):
        config_id += 1
        counts[kind] = counts.get(kind, 0) + 1
        short = _SHORT[kind]
        name = f"{prefix}-{short}{counts[kind]:02d}"
        type_id = next(i for i, n in CONFIG_TYPES if n == kind)
        maker, models = _MODELS[kind]
        status_id, status_name = CONFIG_STATUSES[0 if rng.random() < 0.93 else 1]
        record: dict[str, Any] = {
            "id": config_id, "name": name,
            "type": ref.hrefs.ref("type", f"company/configurations/types/{type_id}",
                                  id=type_id, name=kind),
            "status": {"id": status_id, "name": status_name},
            "company": ref.company_refs[company["id"]], "site": company["site"],
            "deviceIdentifier": f"RMM-{rng.getrandbits(32):08X}",
            "serialNumber": f"{rng.choice('CDHJ')}{rng.getrandbits(40):010X}"[:11],
            "modelNumber": rng.choice(models), "tagNumber": f"A{config_id:06d}",
            "manufacturer": {"id": 10 + len(maker), "name": maker},
            "ipAddress": f"{subnet}.{1 if kind == 'Firewall' else 10 + host_index}",
            "defaultGateway": f"{subnet}.1",
            "macAddress": ":".join(f"{rng.randrange(256):02X}" for _ in range(6)),
            "installationDate": cw_ts(ref.now - (30 + rng.randrange(1500)) * DAY),
            "warrantyExpirationDate": cw_ts(ref.now + (rng.randrange(-300, 900)) * DAY),
            "activeFlag": status_name == "Active", "billFlag": False,
            "mobileGuid": guid(rng),
            "_info": info_stamp(ref.now, rng.randrange(120), "dispatch"),
        }
        if kind in _OS:
            record["osType"] = _OS[kind]
            record["ram"] = f"{rng.choice((8, 16, 32, 64))} GB"
        if kind in ("Workstation", "Laptop") and contacts:
            owner = rng.choice(contacts)
            record["contact"] = ref.contact_refs[owner["id"]]
            record["lastLoginName"] = f"{owner['firstName'][0]}{owner['lastName']}".lower()
        ref.configurations.append(record)
        ref.configs_of[company["id"]].append(record)
    return config_id
