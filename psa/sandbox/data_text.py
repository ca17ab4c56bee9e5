"""Word lists and ticket templates that make the sandbox's seeded data read like a real MSP."""

from __future__ import annotations

from typing import NamedTuple

# (name, identifier, domain, city, state, zip, area code). Some names carry characters that
# break naive query building on purpose: an apostrophe, an ampersand, a double quote-free comma.
COMPANIES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("Contoso Dental Group", "ContosoDental", "contosodental.com", "Tampa", "FL", "33602", "813"),
    ("Fabrikam Logistics", "FabrikamLogistics", "fabrikamlogistics.com", "Lakeland", "FL",
     "33801", "863"),
    ("Northwind Traders", "NorthwindTraders", "northwindtraders.com", "Clearwater", "FL",
     "33755", "727"),
    ("Adventure Works Cycles", "AdventureWorks", "adventure-works.com", "St. Petersburg", "FL",
     "33701", "727"),
    ("Tailspin Toys", "TailspinToys", "tailspintoys.com", "Orlando", "FL", "32801", "407"),
    ("Wide World Importers", "WideWorldImporters", "wideworldimporters.com", "Sarasota", "FL",
     "34236", "941"),
    ("Litware Accounting, LLC", "LitwareAccounting", "litwarecpa.com", "Brandon", "FL", "33511",
     "813"),
    ("Proseware Legal", "ProsewareLegal", "prosewarelaw.com", "Tampa", "FL", "33606", "813"),
    ("O'Malley & Sons Plumbing", "OMalleySons", "omalleyplumbing.com", "Largo", "FL", "33770",
     "727"),
    ("Blue Yonder Airlines", "BlueYonder", "blueyonderair.com", "Tampa", "FL", "33607", "813"),
    ("Coho Winery", "CohoWinery", "cohowinery.com", "Dunedin", "FL", "34698", "727"),
    ("Alpine Ski House", "AlpineSkiHouse", "alpineskihouse.com", "Ocala", "FL", "34471", "352"),
    ("Bayside Pediatrics", "BaysidePeds", "baysidepeds.org", "Tampa", "FL", "33611", "813"),
    ("Graphic Design Institute", "GraphicDesignInst", "graphicdesigninstitute.com",
     "Gainesville", "FL", "32601", "352"),
    ("Humongous Insurance", "HumongousIns", "humongousinsurance.com", "Jacksonville", "FL",
     "32202", "904"),
    ("Lucerne Publishing", "LucernePublishing", "lucernepublishing.com", "Winter Park", "FL",
     "32789", "407"),
    ("Margie's Travel", "MargiesTravel", "margiestravel.com", "Naples", "FL", "34102", "239"),
    ("Trey Research", "TreyResearch", "treyresearch.net", "Tampa", "FL", "33620", "813"),
    ("The Phone Company", "PhoneCompany", "thephone-company.com", "Bradenton", "FL", "34205",
     "941"),
    ("Woodgrove Bank", "WoodgroveBank", "woodgrovebank.com", "Tampa", "FL", "33602", "813"),
    ("School of Fine Art", "FineArtSchool", "fineartschool.net", "Sarasota", "FL", "34234",
     "941"),
    ("City Power & Light", "CityPowerLight", "cpandl.com", "Lakeland", "FL", "33803", "863"),
    ("Consolidated Messenger", "ConsolidatedMsgr", "consolidatedmessenger.com", "Tampa", "FL",
     "33619", "813"),
    ("Fourth Coffee", "FourthCoffee", "fourthcoffee.com", "Ybor City", "FL", "33605", "813"),
    ("Southridge Video", "SouthridgeVideo", "southridgevideo.com", "Riverview", "FL", "33569",
     "813"),
    ("Wingtip Toys", "WingtipToys", "wingtiptoys.com", "Palm Harbor", "FL", "34683", "727"),
    ("Gulf Coast Orthopedics", "GulfCoastOrtho", "gulfcoastortho.com", "Tampa", "FL", "33609",
     "813"),
    ("Suncoast Realty Partners", "SuncoastRealty", "suncoastrealty.com", "Clearwater", "FL",
     "33756", "727"),
    ("Harbor Island Marine", "HarborIslandMarine", "harborislandmarine.com", "Tampa", "FL",
     "33602", "813"),
    ("Palmetto Family Medicine", "PalmettoFamilyMed", "palmettofm.com", "Palmetto", "FL", "34221",
     "941"),
    ("Riverside Church", "RiversideChurch", "riversidechurch.org", "Temple Terrace", "FL",
     "33617", "813"),
    ("Keystone Engineering", "KeystoneEng", "keystone-eng.com", "Tampa", "FL", "33634", "813"),
    ("Mangrove Veterinary Clinic", "MangroveVet", "mangrovevet.com", "Apollo Beach", "FL",
     "33572", "813"),
    ("Pelican Point Hotel", "PelicanPointHotel", "pelicanpointhotel.com", "Treasure Island",
     "FL", "33706", "727"),
    ("Sawgrass Title & Escrow", "SawgrassTitle", "sawgrasstitle.com", "Wesley Chapel", "FL",
     "33544", "813"),
    ("Citrus Valley Schools Foundation", "CitrusValleyFdn", "cvsfoundation.org", "Plant City",
     "FL", "33563", "813"),
    ("Redfish Brewing Co.", "RedfishBrewing", "redfishbrewing.com", "Tampa", "FL", "33603", "813"),
    ("Seminole Heights Dental", "SemHeightsDental", "shdental.com", "Tampa", "FL", "33604",
     "813"),
    ("Brightline Architects", "BrightlineArch", "brightlinearch.com", "St. Petersburg", "FL",
     "33705", "727"),
    ("Anchor Freight Services", "AnchorFreight", "anchorfreight.com", "Port Tampa", "FL",
     "33616", "813"),
    ("Osprey Financial Advisors", "OspreyFinancial", "ospreyfa.com", "Tampa", "FL", "33629",
     "813"),
    ("Tidewater Construction", "TidewaterConst", "tidewaterconstruction.com", "Lutz", "FL",
     "33548", "813"),
    ("Greenleaf Landscaping", "GreenleafLandscape", "greenleaflandscaping.com", "Odessa", "FL",
     "33556", "813"),
    ("Heron Bay Assisted Living", "HeronBayAL", "heronbayliving.com", "New Port Richey", "FL",
     "34652", "727"),
    ("Summit Chiropractic", "SummitChiro", "summitchiro.com", "Brandon", "FL", "33510", "813"),
)

STREETS = (
    "N Ashley Dr", "W Kennedy Blvd", "S Dale Mabry Hwy", "E Fowler Ave", "Bayshore Blvd",
    "W Hillsborough Ave", "N Westshore Blvd", "Gulf to Bay Blvd", "Central Ave", "4th St N",
    "US Highway 19 N", "E Busch Blvd", "W Waters Ave", "Main St", "Harbour Island Blvd",
)

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David",
    "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Carlos", "Sarah",
    "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Betty", "Priya", "Sandra",
    "Steven", "Ashley", "Andrew", "Kimberly", "Joshua", "Emily", "Kevin", "Donna", "Brian",
    "Michelle", "Wei", "Carol", "Luis", "Amanda", "Aisha", "Melissa", "Jorge", "Deborah",
    "Hannah", "Tyler", "Grace", "Omar",
)

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "O'Connor", "Rivera", "Campbell", "Mitchell", "Carter",
)

CONTACT_TITLES = (
    "Office Manager", "Owner", "Practice Administrator", "Controller", "Receptionist",
    "Operations Manager", "Bookkeeper", "Managing Partner", "HR Coordinator", "IT Liaison",
    "Front Desk", "Director of Operations",
)

# Members of the MSP: (identifier, first, last, title, license class, inactive).
# "jdoe" and "jdoe2" coexist to catch loose (prefix/contains) identifier matching; "dobrien"'s
# surname has an apostrophe. The three last are the API key members auth.py names.
MEMBERS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("dispatch", "Dana", "Whitfield", "Service Dispatcher", "F", False),
    ("jdoe", "John", "Doe", "Service Technician", "F", False),
    ("jdoe2", "Jordan", "Doe", "Service Technician", "F", False),
    ("asmith", "Alice", "Smith", "Senior Network Engineer", "F", False),
    ("mgarcia", "Miguel", "Garcia", "Field Technician", "F", False),
    ("kpatel", "Kiran", "Patel", "Systems Engineer", "F", False),
    ("twilliams", "Tara", "Williams", "Help Desk Technician", "F", False),
    ("rnguyen", "Ryan", "Nguyen", "Help Desk Technician", "F", False),
    ("ljohnson", "Lisa", "Johnson", "Service Manager", "F", False),
    ("bchen", "Brian", "Chen", "NOC Technician", "F", False),
    ("ekowalski", "Emma", "Kowalski", "Field Technician", "F", False),
    ("dobrien", "Dan", "O'Brien", "Escalation Engineer", "F", False),
    ("sharris", "Steve", "Harris", "Service Technician", "F", True),
    ("pmartin", "Paula", "Martin", "Help Desk Technician", "F", True),
    ("APIRestricted", "API", "Restricted", "Integration", "A", False),
    ("APINoAccess", "API", "NoAccess", "Integration", "A", False),
)


class Template(NamedTuple):
    """One kind of ticket: how its summary and first note read and where it is filed."""

    board: str            # "desk", "onsite", "alerts", "escalations"
    summary: str          # str.format with the placeholders of ``fill``
    description: str
    type: str
    subtype: str
    item: str
    config: str | None    # configuration type worth attaching, if any


T = Template
TEMPLATES: tuple[Template, ...] = (
    T("desk", "Outlook keeps asking for password",
      "Since this morning Outlook on my PC keeps popping up a password prompt. I enter my "
      "password and it comes back a few minutes later.", "Software", "Office 365", "Troubleshoot",
      "Workstation"),
    T("desk", "Printer on {floor} floor offline - {printer}",
      "The {printer} on the {floor} floor shows offline for everyone. We power cycled it but it "
      "is still not printing.", "Hardware", "Printer", "Repair", "Printer"),
    T("desk", "New user onboarding: {person} starts {weekday}",
      "{person} is starting on {weekday} as a new {role}. Please set up an email account, a "
      "laptop and access to the shared drive.", "Service Request", "New User", "Setup", "Laptop"),
    T("desk", "Terminate user access - {person}",
      "{person} no longer works here as of today. Please disable their account and forward "
      "their email to me.", "Service Request", "Termination", "Disable", None),
    T("desk", "Password reset for {person}",
      "{person} is locked out of their computer after too many attempts. Can you reset it?",
      "Service Request", "Password Reset", "Reset", None),
    T("desk", "Cannot access shared drive (S:)",
      "The S: drive shows a red X and says the network path was not found.", "Network",
      "File Share", "Troubleshoot", "Server"),
    T("desk", "Computer running very slow - {device}",
      "My computer takes forever to open anything, the fan is loud and it freezes often.",
      "Hardware", "Workstation", "Troubleshoot", "Workstation"),
    T("desk", "Teams calls dropping audio",
      "During Teams calls people say my audio cuts in and out. It started last week.",
      "Software", "Teams", "Troubleshoot", "Laptop"),
    T("desk", "Request: install Adobe Acrobat Pro for {person}",
      "Please install Adobe Acrobat Pro for {person}; we have a spare licence.",
      "Service Request", "Software Install", "Install", "Workstation"),
    T("desk", "Suspicious email - possible phishing",
      "I received an email asking me to log in to view an invoice. The sender looks odd. I "
      "did not click the link. Forwarding it to you.", "Security", "Email Security",
      "Investigate", None),
    T("desk", "Wi-Fi keeps disconnecting in conference room",
      "Laptops in the conference room lose Wi-Fi every few minutes.", "Network", "Wireless",
      "Troubleshoot", "Wireless Access Point"),
    T("desk", "QuickBooks will not open - company file error",
      "QuickBooks says it cannot open the company file (error H202).", "Software",
      "Line of Business App", "Troubleshoot", "Server"),
    T("desk", "Scanner to email not working",
      "Scanning to email from the copier stopped working; it says SMTP authentication failed.",
      "Hardware", "Printer", "Configure", "Printer"),
    T("desk", "Add {person} to distribution list",
      "Please add {person} to the staff@ distribution list.", "Service Request",
      "Office 365", "Configure", None),
    T("desk", "Second monitor not detected",
      "My second monitor says no signal after I moved desks.", "Hardware", "Workstation",
      "Troubleshoot", "Workstation"),
    T("desk", "VPN will not connect from home",
      "The VPN client says the connection attempt timed out when I am at home.", "Network",
      "VPN", "Troubleshoot", "Firewall"),
    T("desk", "OneDrive not syncing",
      "OneDrive shows a red X and my files are not syncing since yesterday.", "Software",
      "Office 365", "Troubleshoot", "Laptop"),
    T("desk", "Mailbox full warning",
      "I keep getting a warning that my mailbox is almost full.", "Software", "Office 365",
      "Configure", None),
    T("desk", "Phone system - voicemail not emailing",
      "Voicemails are no longer emailed to me as attachments.", "Software", "Phone System",
      "Troubleshoot", None),
    T("desk", "Update request: Windows updates failing",
      "My PC keeps saying updates failed and it will retry.", "Software", "Operating System",
      "Troubleshoot", "Workstation"),
    T("onsite", "Install new workstation for {person}",
      "New Dell OptiPlex arrived for {person}. Please install it at their desk and migrate "
      "their profile.", "Service Request", "New Hardware", "Install", "Workstation"),
    T("onsite", "Network cabling - move {count} desks to suite {suite}",
      "We are moving {count} desks to suite {suite} next week and need network drops "
      "patched.", "Project", "Cabling", "Install", "Switch"),
    T("onsite", "Replace failed drive in {device}",
      "The server is beeping and the RAID controller reports a failed drive.", "Hardware",
      "Server", "Replace", "Server"),
    T("onsite", "Firewall replacement - {model}",
      "Scheduled replacement of the end-of-life firewall with a {model}.", "Project",
      "Firewall", "Replace", "Firewall"),
    T("onsite", "Conference room AV setup",
      "Please set up the new TV and camera in the conference room for Teams meetings.",
      "Service Request", "AV", "Install", None),
    T("onsite", "Quarterly onsite maintenance visit",
      "Quarterly visit: check server room, UPS, backups and patch status.", "Maintenance",
      "Site Visit", "Review", "Server"),
    T("alerts", "Firewall alert: WAN1 down at {company}",
      "RMM alert: WAN1 interface on {device} changed state to DOWN.", "Alert", "Firewall",
      "Investigate", "Firewall"),
    T("alerts", "Disk space low on {device} (C: {percent}% used)",
      "RMM alert: volume C: on {device} is {percent}% full.", "Alert", "Server", "Investigate",
      "Server"),
    T("alerts", "Backup failed: {device} nightly job",
      "Backup job 'Nightly - {device}' finished with status Failed (VSS error).", "Alert",
      "Backup", "Investigate", "Server"),
    T("alerts", "Offline agent: {device} has not checked in",
      "RMM alert: agent on {device} has not checked in for 30 minutes.", "Alert", "Workstation",
      "Investigate", "Workstation"),
    T("alerts", "Antivirus threat quarantined on {device}",
      "Endpoint protection quarantined Trojan:Win32/Wacatac on {device}.", "Alert",
      "Antivirus", "Investigate", "Workstation"),
    T("alerts", "UPS on battery at {company}",
      "UPS reports on battery power; runtime remaining 22 minutes.", "Alert", "Power",
      "Investigate", None),
    T("alerts", "High CPU on {device} ({percent}%)",
      "RMM alert: CPU above {percent}% for 15 minutes on {device}.", "Alert", "Server",
      "Investigate", "Server"),
    T("alerts", "SSL certificate expiring in 14 days - {domain}",
      "Monitoring: the certificate for mail.{domain} expires in 14 days.", "Alert",
      "Security", "Renew", None),
    T("escalations", "Recurring BSOD on {device} - needs engineering",
      "Escalated from help desk: {device} blue-screens daily (DRIVER_IRQL_NOT_LESS_OR_EQUAL).",
      "Problem", "Workstation", "Investigate", "Workstation"),
    T("escalations", "Email delivery delays to external recipients",
      "Several users report outbound email delayed by up to an hour. Escalated from tier 1.",
      "Problem", "Email Security", "Investigate", None),
    T("escalations", "Intermittent network outage - {company}",
      "The whole office loses internet for a minute several times a day.", "Problem",
      "Firewall", "Investigate", "Firewall"),
    T("escalations", "Ransomware readiness review after incident",
      "Follow-up on the quarantined threat: review backups, MFA coverage and admin rights.",
      "Security", "Security Review", "Review", "Server"),
)

FLOORS = ("1st", "2nd", "3rd", "4th")
PRINTERS = (
    "HP LaserJet M404", "HP LaserJet Pro MFP M428", "Brother HL-L2350DW", "Canon imageRUNNER 2630",
    "Xerox VersaLink C405", "Ricoh IM C3000",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ROLES = ("office assistant", "accountant", "hygienist", "paralegal", "sales rep", "nurse")
FIREWALL_MODELS = ("FortiGate 60F", "SonicWall TZ370", "Meraki MX68", "WatchGuard Firebox T45")

REPLIES = (
    "Hi {first}, thanks for reaching out. I'm looking into this now and will update you shortly.",
    "Hi {first}, I've picked this up. Can you let me know a good time to remote in?",
    "Thanks {first}. I connected remotely and I'm checking the logs now.",
    "Hi {first}, we have scheduled a technician for this. We'll confirm the time by email.",
)
INTERNAL = (
    "Checked event logs - repeated errors from the same source around the time reported.",
    "Verified licence assignment in the admin portal; user has an E3 licence.",
    "RMM shows the device last rebooted 41 days ago. Pending updates: 12.",
    "Vendor case opened; waiting for their engineer to call back.",
    "Likely related to last night's patch window - several similar reports.",
    "Confirmed backups completed for the last 3 nights before making changes.",
)
CUSTOMER_FOLLOW_UPS = (
    "Any update on this? It is still happening.",
    "This is getting urgent - we have a deadline today.",
    "Thanks! It worked for a bit but the problem is back.",
    "I'm available after 2pm if you need to remote in.",
)
RESOLUTIONS = (
    "Resolved: cleared cached credentials and re-created the profile. User confirmed working.",
    "Resolved: replaced the faulty part and tested. Closing ticket.",
    "Resolved: applied the fix remotely and confirmed with the user.",
    "Resolved: configuration corrected, monitoring shows healthy for 24 hours.",
    "Resolved: alert cleared on its own after the ISP restored service.",
)
TIME_NOTES = (
    "Remote session with user; troubleshooting and fix.",
    "Onsite: installed and tested equipment.",
    "Reviewed alert, checked device health, documented findings.",
    "Phone call with the customer to confirm the resolution.",
)
