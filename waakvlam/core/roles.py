"""The roles of PRODUCT.md's "Who uses it" table, and what each role may touch in principle.

Object-level decisions (organisation, neighbourhood, consent) live in each app's rules.py; this module
only says which roles exist and which of them see residents' personal data at all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SIGNALLER = "signaller", _("Signaleerder")
    STEWARD = "steward", _("Waakvlammer")
    COORDINATOR = "coordinator", _("Coördinator")
    PARTNER = "partner", _("Partnerprofessional")
    MUNICIPALITY = "municipality", _("Regie gemeente")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")
    ADMIN = "admin", _("Functioneel beheerder")
    # Light roles outside the professional organisations (PRODUCT.md "Who uses it"): they see only what
    # is linked to them, never signals, households or case content.
    ACTIVITY_KEEPER = "activity_keeper", _("Beheerder activiteit")
    INFORMAL_SUPPORTER = "informal_supporter", _("Informele steun")


# Every role (the menu's start page, messages and account are for everyone).
ALL_ROLES = frozenset(Role.values)

# The role sets the apps share, named once (an app's own rules say what each set may do there).
# A resident's keepers: they hold contact plans, record consents, register households, decide on attention
# items, send referrals and convene case conferences.
KEEPER_ROLES = frozenset({Role.STEWARD, Role.COORDINATOR})
# The carers: the keepers and the partner professionals, who act on signals (claim, transfer, close), see
# a resident's care and receive referrals.
CARE_ROLES = KEEPER_ROLES | {Role.PARTNER}
# The professional organisations' people at work: the carers and the signallers, who report signals
# (also through the API) and take tasks from case conferences.
WORK_ROLES = CARE_ROLES | {Role.SIGNALLER}
# Those who set the house up for a municipality: routing rules and bulk imports.
SETUP_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})

# Roles whose screens show residents' personal data (and may see handovers, see handover/selectors.py).
PERSONAL_DATA_ROLES = CARE_ROLES | {Role.PRIVACY_OFFICER}

# Roles that must log in with two factors: every role that can *receive* a resident's personal data, not
# only those whose screens show it — a signaller reads the signals it reported and, at a housing
# association, the date and address of a new tenant leaving care; the light roles see the residents
# linked to them — plus the functional admin, who decides who gets which role. Only the municipality's
# policy role, which sees aggregates with small numbers suppressed, logs in with a password alone.
# docs/two-factor.md says why, role by role.
TWO_FACTOR_ROLES = frozenset(Role) - {Role.MUNICIPALITY}


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    HOUSING_ASSOCIATION = "housing_association", _("Woningcorporatie")
    SOCIAL_WORK = "social_work", _("Welzijn / sociaal werk")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Wijkteam")
    MENTAL_HEALTH_CARE = "mental_health_care", _("GGZ")
    POLICE = "police", _("Politie")
    SHELTER = "shelter", _("Opvang / beschermd wonen")
    DEBT_HELP = "debt_help", _("Schuldhulpverlening")
    UTILITY = "utility", _("Nutsbedrijf")
    RESIDENT_INITIATIVE = "resident_initiative", _("Bewonersinitiatief")
