/* The registration form (templates/registration/register.html and edit.html), as a
 * progressive enhancement — everything works without it:
 * - when the participant picks their country, say what each ticket type costs for its income
 *   group and mark that column of the fee table, in place (without JavaScript the "Show the
 *   fees for my country" button sends the form back with everything typed kept);
 * - the passport fields show only while "I need a visa invitation letter" is ticked (without
 *   JavaScript they always show, with a note that they are only needed for a letter).
 * The fees and the income table come from a JSON block on the page.
 */
(() => {
    "use strict";

    const showFees = () => {
        const data = document.getElementById("fee-data");
        const country = document.getElementById("id_country");
        const output = document.getElementById("my-fees");
        if (!data || !country || !output) {
            return;
        }
        const fees = JSON.parse(data.textContent);
        const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
        const button = document.getElementById("fee-button");
        if (button) {
            button.hidden = true;
        }
        const show = () => {
            const group = country.value ? fees.groups[country.value] || "high" : "";
            document.querySelectorAll(".fee-table [data-group]").forEach((cell) => {
                cell.classList.toggle("is-mine", cell.dataset.group === group);
            });
            if (!group) {
                output.textContent = "";
                return;
            }
            const parts = fees.tickets.map(
                (ticket) => `${ticket.name}: ${format.format(ticket.fees[group])} ${fees.currency}`,
            );
            output.textContent = `${output.dataset.label} ${parts.join(" · ")}`;
        };
        country.addEventListener("change", show);
        show();
    };

    const passportOnDemand = () => {
        const wanted = document.getElementById("id_needs_visa_letter");
        const fields = document.getElementById("passport-fields");
        if (!wanted || !fields) {
            return;
        }
        const note = fields.querySelector(".passport-note");
        if (note) {
            note.hidden = true;
        }
        const hasError = fields.querySelector(".field--error") !== null;
        const toggle = () => {
            fields.hidden = !wanted.checked && !hasError;
        };
        wanted.addEventListener("change", toggle);
        toggle();
    };

    showFees();
    passportOnDemand();
})();
