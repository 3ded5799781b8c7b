"""SSDA903 code sets and the local vocabularies of API.md. One place; forms, API and exports use these."""

from django.db import models

ETHNIC = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
CIN = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}
LEGAL_STATUS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "V2": "Single period of accommodation under section 20",
    "V3": "Short breaks (episodes recorded)",
    "V4": "Short breaks (agreements recorded)",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
    "J1": "Remanded to local authority or youth detention accommodation",
    "J2": "PACE transfer",
    "J3": "Youth rehabilitation order with residence or fostering requirement",
}
PLACE = {
    "A3": "Placed for adoption with consent, with current foster carer",
    "A4": "Placed for adoption with consent, not with current foster carer",
    "A5": "Placed for adoption under a placement order, with current foster carer",
    "A6": "Placed for adoption under a placement order, not with current foster carer",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "K3": "Registered supported accommodation",
    "P1": "Placed with parents or person with parental responsibility",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health trust, or other medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution",
    "S1": "Residential school",
    "T0": "Temporary move, all types",
    "T1": "Temporary move: hospital",
    "T2": "Temporary move: child's holiday",
    "T3": "Temporary move: carer's holiday",
    "T4": "Temporary move of 7 days or less, other reason",
    "U1": "Foster placement with relative or friend: long term",
    "U2": "Foster placement with relative or friend: fostering for adoption or concurrent planning",
    "U3": "Foster placement with relative or friend: other",
    "U4": "Foster placement with other carer: long term",
    "U5": "Foster placement with other carer: fostering for adoption or concurrent planning",
    "U6": "Foster placement with other carer: other",
    "Z11": "Other placement (Z11)",
    "Z12": "Other placement (Z12)",
    "Z13": "Other placement (Z13)",
    "Z14": "Other placement (Z14)",
}
PLACE_PROVIDER = {
    "PR0": "Parent or person with parental responsibility",
    "PR1": "Own local authority",
    "PR2": "Other local authority",
    "PR3": "Other public body",
    "PR4": "Private provider",
    "PR5": "Voluntary or third sector provider",
}
REC = {
    "X1": "Episode ceased and new one started the same day",
    "E11": "Adopted (unopposed)",
    "E12": "Adopted (consent dispensed with)",
    "E2": "Died",
    "E3": "Care taken over by another UK local authority",
    "E4A": "Returned home to parents (planned)",
    "E4B": "Returned home to parents (not planned)",
    "E13": "Left care to live with parents, relatives or others with no parental responsibility",
    "E41": "Residence or child arrangements order",
    "E45": "Special guardianship order to former foster carers",
    "E46": "Special guardianship order to carers other than former foster carers",
    "E47": "Special guardianship order to relatives or friends who were foster carers",
    "E48": "Special guardianship order to relatives or friends who were not foster carers",
    "E5": "Moved to independent living with formal support",
    "E6": "Moved to independent living without formal support",
    "E7": "Transferred to residential care funded by adult social care",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment found the person to be 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 or over and stayed with carers (staying put)",
    "E8": "Any other reason",
}
REASON_PLACE_CHANGE = {
    "CARPL": "Change to care plan",
    "CLOSE": "Provision closed or carer resigned",
    "ALLEG": "Section 47 allegation",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer asked for the placement to end because of the child's behaviour",
    "CREQO": "Carer asked for the placement to end for another reason",
    "CHILD": "Child asked",
    "LAREQ": "Responsible or area local authority asked",
    "PLACE": "Change of placement status only",
    "CUSTOD": "Custody",
    "OTHER": "Other",
}


def choices(codes: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, f"{code}: {label}") for code, label in codes.items()]


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known or not stated"


class TraffickingStatus(models.TextChoices):
    NONE = "none", "No concerns recorded"
    SUSPECTED = "suspected", "Suspected"
    IDENTIFIED = "identified", "Identified"


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", "Sexual"
    LABOUR = "labour", "Labour"
    CRIMINAL = "criminal", "Criminal"
    COUNTY_LINES = "county_lines", "County lines"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    ORGAN_HARVESTING = "organ_harvesting", "Organ harvesting"
    OTHER = "other", "Other or not known"


class NrmDecision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class ImmigrationStatus(models.TextChoices):
    ASYLUM_CLAIM_PENDING = "asylum_claim_pending", "Asylum claim pending"
    REFUGEE_STATUS = "refugee_status", "Refugee status"
    HUMANITARIAN_PROTECTION = "humanitarian_protection", "Humanitarian protection"
    UASC_LEAVE = "uasc_leave", "UASC leave"
    DISCRETIONARY_LEAVE = "discretionary_leave", "Discretionary leave"
    REFUSED_APPEAL_PENDING = "refused_appeal_pending", "Refused, appeal pending"
    APPEAL_RIGHTS_EXHAUSTED = "appeal_rights_exhausted", "Appeal rights exhausted"
    ILR = "ilr", "Indefinite leave to remain"
    BRITISH_CITIZEN = "british_citizen", "British citizen"
    EUSS = "euss", "EU Settlement Scheme status"
    OTHER = "other", "Other"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    SPELLING = "spelling", "Other spelling"
    NICKNAME = "nickname", "Nickname"
    ORIGINAL_SCRIPT = "original_script", "Name in original script"


UPN_PATTERN = r"^([A-HJ-NP-RT-Z]\d{12}|[A-HJ-NP-RT-Z]\d{11}[A-Z]|UN[1-5])$"
LA_CHILD_ID_PATTERN = r"^[A-Za-z0-9]{1,20}$"
