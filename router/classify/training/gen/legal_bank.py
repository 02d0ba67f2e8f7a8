"""Contracts and legal questions written for this generator: clauses (also translated by the
translation rows) and the legal-analysis builders (LEGAL_BUILDERS)."""

from .common import two_names


# ---------------------------------------------------------------------------------------------
# Contracts and legal questions.

CLAUSES = [
    ("governing law", "This Agreement shall be governed by and construed in accordance with the laws of the State of New York, without regard to its conflict of laws principles."),
    ("non-compete", "During the Term and for a period of two (2) years thereafter, Distributor shall not, directly or indirectly, manufacture, sell or promote any product that competes with the Products in the Territory."),
    ("exclusivity", "Company hereby appoints Reseller as its exclusive reseller of the Licensed Software in the Territory, and Company shall not appoint any other reseller in the Territory during the Term."),
    ("termination for convenience", "Either party may terminate this Agreement at any time, for any reason or no reason, upon sixty (60) days' prior written notice to the other party."),
    ("license grant", "Licensor grants to Licensee a non-exclusive, non-transferable, royalty-bearing license to use the Marks solely in connection with the marketing of the Products."),
    ("audit rights", "Supplier shall keep complete and accurate records relating to its performance and shall permit Customer, upon ten (10) business days' notice, to audit such records once per calendar year."),
    ("cap on liability", "IN NO EVENT SHALL EITHER PARTY'S AGGREGATE LIABILITY ARISING OUT OF THIS AGREEMENT EXCEED THE TOTAL FEES PAID BY CUSTOMER IN THE TWELVE (12) MONTHS PRECEDING THE CLAIM."),
    ("insurance", "Contractor shall maintain, at its own expense, commercial general liability insurance with limits of not less than $2,000,000 per occurrence."),
    ("anti-assignment", "Neither party may assign this Agreement or any rights hereunder without the prior written consent of the other party, which consent shall not be unreasonably withheld."),
    ("change of control", "In the event of a Change of Control of Supplier, Customer may terminate this Agreement upon thirty (30) days' written notice."),
    ("revenue sharing", "Partner shall pay to Company thirty percent (30%) of all Net Revenue received from subscriptions sold through the Platform, payable quarterly."),
    ("minimum commitment", "Purchaser agrees to purchase a minimum of 10,000 units of Product during each Contract Year; any shortfall shall be invoiced at the then-current price."),
    ("warranty duration", "Seller warrants that the Equipment will be free from defects in materials and workmanship for a period of eighteen (18) months from the date of delivery."),
    ("IP ownership assignment", "All inventions, works of authorship and developments conceived by Consultant in the course of the Services shall be the sole property of the Company, and Consultant hereby assigns all rights therein to the Company."),
    ("confidentiality", "The Receiving Party shall hold the Confidential Information in strict confidence and shall not disclose it to any third party except its employees who need to know it for the purposes of this Agreement."),
    ("non-solicitation", "For one year after termination, neither party shall solicit for employment any employee of the other party who was involved in the performance of this Agreement."),
    ("most favored nation", "If Supplier offers any other customer prices lower than those set forth herein for substantially similar quantities, Supplier shall promptly offer such lower prices to Buyer."),
    ("renewal term", "This Agreement shall automatically renew for successive one-year terms unless either party gives notice of non-renewal at least ninety (90) days before the end of the then-current term."),
    ("post-termination services", "Upon expiration or termination, Provider shall continue to provide transition assistance for up to six (6) months at the rates set forth in Exhibit B."),
    ("right of first refusal", "Before selling any of its shares to a third party, a Shareholder shall first offer such shares to the Company on the same terms and conditions."),
    ("uncapped liability", "Nothing in this Agreement shall limit either party's liability for fraud, gross negligence or breach of the confidentiality obligations."),
    ("third-party beneficiary", "This Agreement is for the sole benefit of the parties and nothing herein shall confer upon any other person any legal or equitable right."),
    ("covenant not to sue", "Licensee agrees not to challenge the validity of the Licensed Patents or to assist any third party in doing so."),
    ("liquidated damages", "If the Contractor fails to complete the Works by the Completion Date, it shall pay the Employer liquidated damages of $5,000 for each day of delay."),
    ("force majeure", "Neither party shall be liable for any failure to perform caused by events beyond its reasonable control, including fire, flood, war, epidemic or governmental action."),
    ("data protection", "The Processor shall process Personal Data only on documented instructions from the Controller and shall ensure that persons authorised to process the data are bound by confidentiality."),
    ("payment terms", "All invoices are payable within thirty (30) days of receipt. Late payments shall bear interest at the rate of one percent (1%) per month."),
    ("indemnification", "Vendor shall indemnify, defend and hold harmless Customer from any claims arising from Vendor's breach of this Agreement or infringement of any third-party intellectual property."),
]
CLAUSE_TYPES = sorted({t for t, _ in CLAUSES})

LEGAL_QUESTIONS = [
    "Does the clause below restrict a party from competing with the other? Answer Yes or No.\n\nClause: {c}",
    "Read the following contract clause and identify which type of provision it is.\n\n{c}",
    "Does this clause specify which law governs the contract?\n\"{c}\"",
    "Is the following clause favourable to the customer or the supplier? Explain your reasoning.\n\n{c}",
    "Consider the clause: {c}\n\nQuestion: Does it create an obligation that survives termination of the agreement?",
    "Here is a clause from a commercial agreement:\n{c}\nWould this clause allow a party to end the contract without cause? Answer yes or no and explain.",
    "Analyze the following provision for potential risks to the licensee:\n\n{c}",
    "Clause: {c}\nQuestion: Does the clause cap the amount of damages recoverable? Answer:",
    "Review this contract term and tell me whether it is likely enforceable and why.\n{c}",
    "You are a contracts lawyer. Classify the clause below as one of: {types}.\n\n{c}",
    "Does the following clause grant any intellectual property rights? Give a short legal analysis.\n\n{c}",
    "What obligations does this clause impose, and on whom?\n\n{c}",
    "Identify any ambiguity in the following clause that could lead to a dispute.\n\"{c}\"",
    "Summarize the legal effect of this provision in two sentences and state who bears the risk.\n{c}",
]


def legal_analysis(g):
    ctype, clause = g.pick(CLAUSES)
    return g.pick(LEGAL_QUESTIONS).format(c=clause, types=", ".join(g.picks(CLAUSE_TYPES, 5) + [ctype]))


def hearsay(g):
    a, b = two_names(g, "en")
    issue = g.pick(["was at the bank on the night of the robbery", "had signed the lease", "knew the brakes were faulty",
                    "was driving the car", "had received the warning letter"])
    evidence = g.pick([
        f"{b} testifies that {a} told her, \"I was at home all night.\"",
        f"the prosecution introduces a letter in which {a} wrote that he would be away that week.",
        f"{b} testifies that she saw {a} leave the building at 9 p.m.",
        f"a police officer testifies that an anonymous caller said {a} was involved.",
        f"{b} testifies that {a} nodded when asked whether he had signed it.",
    ])
    return g.pick([
        f"To show that {a} {issue}, {evidence} Would that testimony be excluded as hearsay?",
        f"Evidence question. The point in dispute is whether {a} {issue}. {evidence[0].upper() + evidence[1:]} Is this an out-of-court statement offered for its truth? Explain.",
        f"Under the Federal Rules of Evidence, analyse whether this is admissible: to prove that {a} {issue}, {evidence}",
    ])


def insurance(g):
    policy = g.pick([
        "The policy covers damage to the insured's home caused by fire, lightning or windstorm, but excludes damage caused by flood.",
        "The policy covers theft of personal property from the insured vehicle, but not theft of the vehicle itself.",
        "The policy pays for emergency medical treatment abroad, excluding treatment for pre-existing conditions.",
        "The policy covers loss of luggage during air travel if the loss is reported within 24 hours.",
    ])
    claim = g.pick([
        "A storm knocks a tree onto the roof and rain water floods the kitchen.",
        "The insured's laptop is stolen from the locked car overnight.",
        "The insured breaks a leg while skiing abroad; she had knee surgery two years earlier.",
        "The airline loses a suitcase and the insured reports it three days later.",
    ])
    return g.pick([f"Policy wording: {policy}\nWhat happened: {claim}\nMust the insurer pay? Explain, noting any ambiguity.",
                   f"{claim} The policy says: \"{policy}\" Is this loss covered?"])


def privacy_qa(g):
    policy = g.pick([
        "We share aggregated, non-identifying information with our advertising partners. We do not sell your personal information.",
        "You may request deletion of your account data at any time by contacting support; backups are erased within 90 days.",
        "We collect location data only while the app is in use and only if you grant permission.",
        "Cookies are used to remember your preferences; you can disable them in your browser settings.",
    ])
    q = g.pick(["Does the policy allow the company to sell my data?", "Can I ask for my data to be deleted?",
                "Is my location tracked in the background?", "Is information shared with third parties?"])
    return f"Consider the following privacy policy excerpt.\n\n{policy}\n\nQuestion: {q} Answer based only on the text."


def causation_legal(g):
    a, b = two_names(g, "en")
    return g.pick([
        f"{a} ran a red light and hit {b}'s car. {b} had been driving without a licence. Who is liable for the damage, and does {b}'s lack of a licence matter? Analyze causation.",
        f"A landlord failed to fix a broken stair for months. A guest of the tenant, who was texting while walking, fell and was injured. Is the landlord's negligence the legal cause of the injury?",
        f"{a} sold {b} a used car and said the engine was 'like new'. The engine failed after a week. Does {b} have a claim for misrepresentation? Discuss.",
    ])


LEGAL_BUILDERS = [legal_analysis, legal_analysis, legal_analysis, hearsay, insurance, privacy_qa, causation_legal]
