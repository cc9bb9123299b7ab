# Sandbox only: the developers publish release 1.1.0 on the `production` branch.
release=$(mktemp -d)
git clone -q -b production https://github.com/OC_PIZZA/oc_pizza.git "$release"
echo "1.1.0" > "$release/VERSION"
git -C "$release" -c user.name=OC -c user.email=dev@ocpizza.com commit -q -am "Release 1.1.0"
git -C "$release" push -q origin production
