#!/usr/bin/env python3
"""Writes the benchmark's long document: a supply agreement of about 3,700 Qwen3 tokens.

Deterministic (no randomness): the same bytes every run, so that runs compare. The text is
ordinary contract prose in numbered clauses, the kind of document the legal analysis workflow
puts in every step of a conversation.
"""
import sys

PARTIES = ("Northwind Components GmbH, Hafenstrasse 12, 20457 Hamburg, Germany (the \"Supplier\")",
           "Blue Harbor Robotics Inc., 400 Mission Street, San Francisco, CA 94105, USA (the \"Buyer\")")

SECTIONS = [
    ("Definitions", [
        "\"Products\" means the servo actuators, controller boards and spare parts listed in Schedule A, as amended from time to time by written agreement of the parties.",
        "\"Delivery Point\" means the Buyer's warehouse at 2200 Industrial Way, Fremont, California, unless another place is agreed in a Purchase Order.",
        "\"Purchase Order\" means a written order for Products issued by the Buyer under this Agreement and accepted by the Supplier.",
        "\"Business Day\" means a day other than a Saturday, Sunday or public holiday in Hamburg or San Francisco.",
        "\"Confidential Information\" means all technical, commercial and financial information disclosed by one party to the other, whether in writing, orally or by inspection, that is marked as confidential or would reasonably be understood to be confidential.",
    ]),
    ("Scope of Supply", [
        "The Supplier shall manufacture and deliver the Products to the Buyer in accordance with the specifications in Schedule B and the quantities stated in each accepted Purchase Order.",
        "The Buyer shall provide a rolling twelve-month forecast of its requirements on the first Business Day of each calendar quarter. Forecasts are for planning only and do not bind the Buyer, except that the Buyer shall take delivery of Products covered by the first ninety days of each forecast.",
        "The Supplier shall keep a safety stock equal to six weeks of the Buyer's average forecast demand for each controller board variant.",
    ]),
    ("Orders and Acceptance", [
        "Each Purchase Order shall state the Products, quantities, requested delivery dates and the Delivery Point.",
        "The Supplier shall accept or reject each Purchase Order within five Business Days of receipt. A Purchase Order not rejected in writing within that period is deemed accepted.",
        "The Supplier may reject a Purchase Order only if the requested delivery date is less than eight weeks after the order date or the quantity exceeds the forecast by more than twenty-five percent.",
    ]),
    ("Delivery", [
        "Delivery shall be made DAP (Incoterms 2020) at the Delivery Point. Risk of loss passes to the Buyer on delivery; title passes on payment in full.",
        "If the Supplier expects a delay, it shall notify the Buyer in writing without undue delay, stating the reason and the expected new delivery date.",
        "For each full week of delay caused by the Supplier, the Supplier shall pay liquidated damages of one half of one percent of the price of the delayed Products, capped at five percent of that price. The Buyer may terminate the affected Purchase Order if the delay exceeds six weeks.",
        "Partial deliveries require the Buyer's prior written consent.",
    ]),
    ("Prices and Payment", [
        "The prices for the Products are set out in Schedule C and are fixed until 31 December 2027. Thereafter the parties shall negotiate prices in good faith once a year.",
        "The Supplier shall invoice each delivery on or after the delivery date. Invoices shall state the Purchase Order number and the quantities delivered.",
        "The Buyer shall pay each undisputed invoice within thirty days of receipt. Late payments bear interest at the rate of eight percentage points above the base rate of the European Central Bank.",
        "The Buyer may withhold payment of any disputed amount in good faith, provided that it notifies the Supplier of the dispute and its reasons within ten Business Days of receiving the invoice.",
        "All prices exclude value added tax, which the Buyer shall pay in addition where applicable.",
    ]),
    ("Inspection and Acceptance", [
        "The Buyer shall inspect the Products within fifteen Business Days of delivery for visible defects and shortfalls and shall notify the Supplier of any defect found.",
        "Hidden defects shall be notified within ten Business Days of their discovery.",
        "Acceptance of a delivery does not waive the Buyer's rights under the warranty.",
    ]),
    ("Warranty", [
        "The Supplier warrants that the Products will conform to the specifications, be free from defects in material and workmanship and be fit for the purpose described in Schedule B for a period of twenty-four months from delivery.",
        "If a Product is defective, the Supplier shall at its option repair or replace it within twenty Business Days of notification, at its own cost including transport.",
        "If the Supplier fails to remedy a defect within that period, the Buyer may remedy it itself at the Supplier's expense, reduce the price, or terminate the affected Purchase Order.",
        "If more than two percent of the Products delivered in any three-month period show the same defect, a serial defect exists, and the Supplier shall bear the costs of any field campaign reasonably required by the Buyer.",
    ]),
    ("Liability", [
        "Neither party is liable for indirect or consequential loss, including loss of profit, except in cases of intent or gross negligence.",
        "Each party's total liability under this Agreement in any contract year is limited to the greater of two million euros and the total amount paid by the Buyer in the preceding twelve months.",
        "The limitations in this clause do not apply to death or personal injury, breaches of confidentiality or the indemnity in the clause on intellectual property.",
    ]),
    ("Intellectual Property", [
        "Each party retains all intellectual property rights it owned before the Effective Date.",
        "The Supplier shall indemnify the Buyer against all claims by third parties that the Products infringe their intellectual property rights, provided that the Buyer notifies the Supplier promptly and lets it conduct the defence.",
    ]),
    ("Confidentiality", [
        "Each party shall keep the other party's Confidential Information secret, use it only to perform this Agreement and disclose it only to employees and advisers who need to know it and are bound by equivalent obligations.",
        "These obligations continue for five years after the end of this Agreement.",
    ]),
    ("Term and Termination", [
        "This Agreement enters into force on 1 March 2026 (the \"Effective Date\") and runs for an initial term of three years. It renews automatically for successive periods of one year unless either party gives notice of termination at least six months before the end of the current term.",
        "Either party may terminate this Agreement with immediate effect by written notice if the other party materially breaches it and fails to remedy the breach within thirty days of a written request, or if the other party becomes insolvent.",
        "On termination the Supplier shall complete all accepted Purchase Orders unless the Buyer instructs otherwise, and the Buyer shall pay for all Products delivered.",
    ]),
    ("Force Majeure", [
        "Neither party is liable for a failure to perform caused by events beyond its reasonable control, including natural disasters, war, epidemics, government action and disruption of public supply networks, provided it notifies the other party promptly and uses reasonable efforts to mitigate the effects.",
        "If a force majeure event lasts longer than ninety days, either party may terminate the affected Purchase Orders.",
    ]),
    ("Governing Law and Disputes", [
        "This Agreement is governed by the laws of Germany, excluding the United Nations Convention on Contracts for the International Sale of Goods.",
        "The parties shall first try to settle any dispute by negotiation between senior managers within thirty days. Any dispute not so settled shall be finally resolved by arbitration under the Rules of the German Arbitration Institute by three arbitrators. The seat of arbitration is Hamburg and the language is English.",
    ]),
    ("Miscellaneous", [
        "Amendments to this Agreement must be in writing and signed by both parties.",
        "If any provision of this Agreement is invalid, the remaining provisions remain in force, and the parties shall replace the invalid provision with a valid one that comes as close as possible to its economic purpose.",
        "Notices shall be sent by e-mail with confirmation of receipt to the addresses stated in Schedule D.",
        "Neither party may assign this Agreement without the other party's prior written consent, which shall not be unreasonably withheld.",
    ]),
]


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    out = ["SUPPLY AGREEMENT", "", "between", PARTIES[0], "and", PARTIES[1], ""]
    n = 0
    # The schedules repeat the clauses' subjects as operational annexes, which is how such
    # contracts reach their length; `repeat` sets how many annexes follow the main text.
    for part in range(repeat):
        if part > 0:
            out += ["", f"ANNEX {part}: OPERATIONAL TERMS (REVISION {part})", ""]
        for title, clauses in SECTIONS:
            n += 1
            out.append(f"{n}. {title}")
            for i, c in enumerate(clauses, 1):
                text = c if part == 0 else c.replace("shall", "must").replace("The Supplier", "Northwind").replace("the Buyer", "Blue Harbor")
                out.append(f"{n}.{i} {text}")
            out.append("")
    out += ["SCHEDULE A: PRODUCTS", ""]
    for i, (name, spec, price) in enumerate([
            ("SA-200 servo actuator", "200 W, 48 V, IP65, absolute encoder 19 bit", "184.00"),
            ("SA-400 servo actuator", "400 W, 48 V, IP65, absolute encoder 19 bit, holding brake", "236.50"),
            ("SA-750 servo actuator", "750 W, 48 V, IP67, absolute encoder 23 bit, holding brake", "318.75"),
            ("CB-3 controller board", "three axes, EtherCAT, safe torque off, 24 V logic supply", "412.00"),
            ("CB-6 controller board", "six axes, EtherCAT, safe torque off, 24 V logic supply, fan", "655.00"),
            ("CK-1 cable kit", "motor and encoder cables, 3 m, drag-chain rated", "38.20"),
            ("SP-12 spare parts set", "bearings, seals and brushes for twelve actuators", "96.40")], 1):
        out.append(f"A.{i} {name}: {spec}. Unit price EUR {price}, minimum order 50 units, lead time 8 weeks.")
    out.append("")
    out.append("Signed in Hamburg and San Francisco by the authorised representatives of the parties.")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
