"""The category lists as first loaded: seed 004's (agenda item 7, January to March 2010: its 14 sources of
referral, six categories of abuse, female and male) and the national Safeguarding Adults Collection's (NHS
England; before 2015 the Abuse of Vulnerable Adults return, whose sources of referral it keeps). A seed name that
the collection writes differently is kept as another name of the collection's category, so that seed 004's figures
import as printed. Also the audit types with their targets (seed 004, Annex B) and the training courses (seed 004,
item 7, "1. Training", and Annex B, action 8). Admins edit all of them afterwards.

The data migration loads them; `seed_safeguarding` loads them again into a database emptied since (a flush), and
adds nothing that is there.
"""

CATEGORIES = {
    "source": [
        # Seed 004, in the order printed; the collection's name after it where it differs.
        ("Residential and Nursing Homes", "Residential care staff; Nursing homes; Care homes"),
        ("Primary Care Settings", "Primary care; Primary/community health staff"),
        ("Police", ""),
        ("Domiciliary Care providers", "Domiciliary care; Domiciliary staff"),
        ("Other Social Care settings", "Other social care staff"),
        ("Day Care", "Day care staff"),
        ("Family Members", "Family member; Family"),
        ("Social Workers direct", "Social worker/care manager; Social workers"),
        ("Secondary Health Care", "Secondary health staff; Secondary care"),
        ("Other", "Other sources"),
        ("Housing", ""),
        ("Self Referrals", "Self-referral; Self"),
        ("Education", "Education/training/workplace establishment"),
        ("CQC", "Care Quality Commission"),
        # The collection's, not in the seed.
        ("Self-directed care staff", ""),
        ("Mental health staff", ""),
        ("Friend or neighbour", "Friend/neighbour"),
        ("Other service user", ""),
    ],
    "abuse_type": [
        ("Physical", ""),
        ("Psychological", "Emotional; Psychological or emotional"),
        ("Financial or material", "Financial"),
        ("Neglect and acts of omission", "Neglect"),
        ("Sexual", ""),
        ("Organisational or institutional", "Organisational; Institutional"),
        ("Discriminatory", ""),
        ("Domestic abuse", "Domestic"),
        ("Sexual exploitation", ""),
        ("Modern slavery", ""),
        ("Self-neglect", ""),
    ],
    "gender": [("Female", ""), ("Male", ""), ("Not known", "Unknown; Other")],
    "age_band": [
        ("18-64", "18 to 64"), ("65-74", "65 to 74"), ("75-84", "75 to 84"), ("85-94", "85 to 94"),
        ("95 and over", "95+"), ("Age not known", "Not known"),
    ],
    "client_group": [
        ("Physical support", "Physical disability, frailty and sensory impairment"),
        ("Sensory support", ""),
        ("Support with memory and cognition", ""),
        ("Learning disability support", "Learning disability"),
        ("Mental health support", "Mental health"),
        ("Social support", "Substance misuse; Other vulnerable people"),
        ("No support reason", ""),
        ("Not known", ""),
    ],
    "location": [
        ("Own home", ""),
        ("In the community (excluding community services)", "In the community"),
        ("In a community service", ""),
        ("Care home – nursing", "Nursing home"),
        ("Care home – residential", "Residential home"),
        ("Hospital – acute", ""),
        ("Hospital – mental health", ""),
        ("Hospital – community", ""),
        ("Other", ""),
    ],
    "source_of_risk": [
        ("Service provider", ""),
        ("Other – known to individual", "Known to individual"),
        ("Other – unknown to individual", "Unknown to individual"),
    ],
    "outcome": [
        ("Risk identified and action taken", ""),
        ("Risk identified and no action taken", ""),
        ("Risk assessment inconclusive and action taken", ""),
        ("Risk assessment inconclusive and no action taken", ""),
        ("No risk identified and action taken", ""),
        ("No risk identified and no action taken", ""),
        ("Enquiry ceased at individual's request and no action taken", ""),
        ("Risk remained", "Risk remains"),
        ("Risk reduced", ""),
        ("Risk removed", ""),
    ],
    "msp_asked": [
        ("Yes, asked and outcomes expressed", ""),
        ("Yes, asked but no outcomes expressed", ""),
        ("No", "Not asked"),
        ("Don't know", ""),
        ("Not recorded", ""),
    ],
    "msp_achieved": [("Fully achieved", ""), ("Partially achieved", ""), ("Not achieved", "")],
}

# Seed 004, Annex B: the share of audits rated "good/excellent" aimed for in 2010/11.
AUDIT_TYPES = [
    ("Risk assessment", 70),  # action 1
    ("Protection plan", 70),  # action 2
    ("Strategy meeting notes", 75),  # action 6
    ("Case file", 70),  # action 7
    ("Supervision", 70),  # action 10
]

TRAINING_COURSES = [
    "Alerter", "Investigator", "Manager for investigators", "Refresher for investigators",
    "Chairing strategy meetings", "Safe and effective decision-making",
]



def load(category_model, audit_type_model, course_model):
    """Add what is missing, by name; what admins changed stays as they left it."""
    for breakdown, categories in CATEGORIES.items():
        for order, (name, other_names) in enumerate(categories, start=1):
            category_model.objects.get_or_create(breakdown=breakdown, name=name,
                                                 defaults={"other_names": other_names, "order": order})
    for order, (name, target) in enumerate(AUDIT_TYPES, start=1):
        audit_type_model.objects.get_or_create(name=name, defaults={"target_percent": target, "order": order})
    for order, name in enumerate(TRAINING_COURSES, start=1):
        course_model.objects.get_or_create(name=name, defaults={"order": order})
