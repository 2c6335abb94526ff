/* The registration form (templates/registration/register.html): when the participant picks
 * their country, say what each ticket type costs for its income group. The fees and the
 * income table come from a JSON block on the page; without JavaScript the "Show the fees for
 * my country" button does the same on the server.
 */
(() => {
    "use strict";

    const data = document.getElementById("fee-data");
    const country = document.getElementById("id_country");
    const output = document.getElementById("my-fees");
    if (!data || !country || !output) {
        return;
    }
    const fees = JSON.parse(data.textContent);
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);

    const show = () => {
        const group = fees.groups[country.value] || "high";
        if (!country.value) {
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
})();
